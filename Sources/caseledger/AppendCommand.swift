import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger append`: appends one event and prints its position.
struct AppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append one event; prints the position written.",
        discussion: """
        The payload is JSON: given inline (--data), read from a file (--data-file) or from \
        standard input (--data -), up to the store's payload limit (16 MiB). An event of a case \
        type (see docs/DOMAIN.md) is checked against its definition and stored in binary.

        --expected-version guards against a lost update: `no-stream` (the stream must not exist), \
        `exists` (it must), a number N (it must be at version N; 0 means no stream) or `any`.

        Appending again an event with the same --event-id and content is harmless: nothing is \
        written and the original position is printed (stderr says it was already stored).

        Examples:
          caseledger append --stream ticket-2025-1 --type Noted --data '{"text":"call back"}'
          caseledger append --stream ticket-2025-1 --type Noted --data-file note.json --expected-version 1
          echo '{"text":"x"}' | caseledger append --stream ticket-2025-1 --type Noted --data -
        """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var create: CreateOption
    @Option(help: "The stream name, e.g. ticket-2025-1 (its category is the part before the first '-').") var stream: String
    @Option(help: "The event type name.") var type: String
    @Option(help: "The payload as JSON, or - to read it from standard input.") var data: String?
    @Option(name: .customLong("data-file"), help: "Read the payload (JSON) from this file.") var dataFile: String?
    @Option(name: .customLong("expected-version"), parsing: .unconditional, help: "N, any, no-stream or exists.")
    var expectedVersion: String = "any"
    @Option(name: .customLong("event-id"), help: "The event id (a UUID); a new time-ordered one by default.") var eventID: String?

    func run() async throws {
        let name: StreamName
        do { name = try StreamName(stream) } catch { throw CLIError(error.message) }
        let expected = try Self.expectedVersion(expectedVersion)
        var id = UUID.timeOrdered()
        if let eventID {
            guard let parsed = UUID(uuidString: eventID) else { throw CLIError("--event-id '\(eventID)' is not a UUID") }
            id = parsed
        }
        let json = try PayloadInput.read(data: data, file: dataFile, limit: EventStoreOptions().maximumPayloadSize)
        let registry = CaseEvents.registry()
        let event: EventData
        do {
            event = try registry.eventData(type: type, json: json, id: id) ?? EventData(id: id, type: type, payload: json)
        } catch {
            throw CLIError("--data does not fit \(type): \(error.message)")
        }
        let result = try await storeOptions.with(create.access) { store in
            try await store.append([event], to: name, expectedVersion: expected)
        }
        Output.line(String(result.lastPosition))
        if result.wasAlreadyStored {
            Output.error("already stored at position \(result.lastPosition); nothing was written")
        }
    }

    static func expectedVersion(_ text: String) throws -> ExpectedVersion {
        switch text {
        case "any": return .any
        case "no-stream": return .noStream
        case "exists": return .streamExists
        default:
            if let n = Int64(text), n < 0 { throw CLIError("--expected-version \(text) is negative; versions start at 0 (no stream)") }
            guard let n = UInt64(text) else { throw CLIError("--expected-version must be a number, any, no-stream or exists, not '\(text)'") }
            return .exact(n)
        }
    }
}

/// The payload of `append`: from the argument, a file or standard input.
enum PayloadInput {
    /// Reads and checks a JSON payload: valid UTF-8, valid JSON, within `limit` bytes.
    static func read(data: String?, file: String?, limit: Int) throws -> [UInt8] {
        let bytes: [UInt8]
        switch (data, file) {
        case (nil, nil): throw CLIError("give the payload with --data JSON, --data - (standard input) or --data-file PATH")
        case (.some, .some): throw CLIError("give --data or --data-file, not both")
        case (.some("-"), nil): bytes = try readAll(FileHandle.standardInput, name: "standard input", limit: limit)
        case (.some(let text), nil): bytes = Array(text.utf8)
        case (nil, .some(let path)):
            guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("cannot read \(path)") }
            defer { try? handle.close() }
            bytes = try readAll(handle, name: path, limit: limit)
        }
        guard bytes.count <= limit else { throw CLIError("the payload is \(bytes.count) bytes; the limit is \(limit)") }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw CLIError("the payload is not valid UTF-8") }
        do { _ = try JSONValue.parse(bytes) } catch {
            throw CLIError("the payload is not valid JSON: \(error.message)")
        }
        return bytes
    }

    private static func readAll(_ handle: FileHandle, name: String, limit: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch { throw CLIError("cannot read \(name): \(error.localizedDescription)") }
            if chunk.isEmpty { return out }
            out += chunk
            if out.count > limit { throw CLIError("the payload in \(name) is over the limit of \(limit) bytes") }
        }
    }
}
