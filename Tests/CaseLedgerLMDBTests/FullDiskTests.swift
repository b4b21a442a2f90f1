import CaseLedger
import CaseLedgerLMDB
import Foundation
import Testing

/// Durable appends until the disk is full: every acknowledged event is kept.
@Suite("LMDB on a full disk")
struct FullDiskTests {
    static func run(_ tool: String, _ args: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = args
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) \(args)")
    }

    @Test("appends until the disk is full: no acknowledged event lost, the error says so, the store verifies and takes appends again")
    func appendsUntilFull() async throws {
        try #require(getuid() == 0, "this test mounts a small tmpfs and needs root (CI runs as root)")
        let mount = temporaryDirectory("disk")
        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", mount])
        defer {
            try? Self.run("/bin/umount", [mount])
            try? FileManager.default.removeItem(atPath: mount)
        }
        let path = mount + "/store"
        let store = try LMDBEventStore(path: path)
        var acknowledged: [UInt64] = []
        var failure: EventStoreError?
        let payload = [UInt8](repeating: 0x5A, count: 4_000)
        for batch in 0..<10_000 {
            do {
                let events = (0..<10).map { _ in EventData(type: "Filler", payload: payload) }
                let result = try await store.append(events, to: try StreamName("fill-\(batch % 50)"))
                acknowledged += result.positions
            } catch {
                failure = error
                break
            }
        }
        let error = try #require(failure, "the disk never filled")
        #expect(error.code == .noSpace, "\(error)")
        #expect(acknowledged.count > 100)
        await store.close()
        try Self.run("/bin/mount", ["-o", "remount,size=128m", mount])
        let again = try LMDBEventStore(path: path)
        let head = try await again.headPosition()
        #expect(head >= acknowledged.max() ?? 0, "every acknowledged event is there")
        #expect(try await LogVerifier(store: again).verify().isValid)
        let read = try await again.readAll(from: 1, limit: Int(head))
        #expect(Set(read.map(\.position)).isSuperset(of: acknowledged))
        _ = try await again.append([EventData(type: "After", payload: [])], to: try StreamName("after-1"))
        await again.close()
    }
}
