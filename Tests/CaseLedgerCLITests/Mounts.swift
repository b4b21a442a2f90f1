import Foundation
import Testing

/// Small file systems of a given size, for a disk that really fills up, and
/// read-only media. Mounting needs root: CI runs as root, and so must these
/// tests (they fail, not skip, elsewhere).
struct TemporaryMount {
    let path: String

    init(megabytes: Int) throws {
        try #require(getuid() == 0, "these tests mount a small tmpfs and need root (CI runs as root)")
        path = CLI.temporary("mount")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.mount(["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
    }

    /// Changes the size, keeping the files.
    func resize(megabytes: Int) throws {
        try Self.mount(["-o", "remount,size=\(megabytes)m", path])
    }

    /// Makes the file system read-only.
    func makeReadOnly() throws {
        try Self.mount(["-o", "remount,ro", path])
    }

    func unmount() {
        _ = try? CLI.runBlocking([path], executable: URL(fileURLWithPath: "/bin/umount"))
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func mount(_ args: [String]) throws {
        let r = try CLI.runBlocking(args, executable: URL(fileURLWithPath: "/bin/mount"))
        try #require(r.status == 0, "mount \(args): \(r.err)")
    }
}
