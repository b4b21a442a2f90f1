import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger append`: appends one event and prints its position.
struct AppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "append", abstract: "Append one event; prints the position written.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The stream name.") var stream: String
    @Option(help: "The event type.") var type: String
    @Option(help: "The payload as JSON. A case event type is checked against its definition.") var data: String
    @Option(name: .customLong("expected-version"), help: "N, any, no-stream or exists.") var expectedVersion: String = "any"
    @Option(name: .customLong("event-id"), help: "The event id (a UUID); random by default.") var eventID: String?

    func run() async throws {
        let name: StreamName
        do { name = try StreamName(stream) } catch { throw CLIError(error.message) }
        let expected: ExpectedVersion
        switch expectedVersion {
        case "any": expected = .any
        case "no-stream": expected = .noStream
        case "exists": expected = .streamExists
        default:
            guard let n = UInt64(expectedVersion) else { throw CLIError("--expected-version must be a number, any, no-stream or exists, not '\(expectedVersion)'") }
            expected = .exact(n)
        }
        var id = UUID()
        if let eventID {
            guard let parsed = UUID(uuidString: eventID) else { throw CLIError("--event-id '\(eventID)' is not a UUID") }
            id = parsed
        }
        let json = Array(data.utf8)
        guard (try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])) != nil else {
            throw CLIError("--data is not valid JSON")
        }
        let registry = CaseEvents.registry()
        let event: EventData
        do {
            event = try registry.eventData(type: type, json: json, id: id) ?? EventData(id: id, type: type, payload: json)
        } catch {
            throw CLIError("--data does not fit \(type): \(error.message)")
        }
        let store = try await storeOptions.open(create: true)
        do {
            let result = try await store.append([event], to: name, expectedVersion: expected)
            Output.line(String(result.lastPosition))
            await store.close()
        } catch {
            await store.close()
            throw CLIError(error.message)
        }
    }
}
