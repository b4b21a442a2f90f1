import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger status`: where each saved read model stands against the head.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Each city read model's saved checkpoint, the head, and how far behind it is.",
        discussion: """
        Reads only: nothing is folded or saved. A read model behind the head is
        brought up to it by `report`, `rebuild` or a service following live.
        Examples:
          caseledger status
          caseledger status --json
        """)

    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "JSON instead of a table.") var json = false

    func run() async throws {
        let statuses = try await storeOptions.with(.read) { store in
            let engine = ProjectionEngine(store: store, registry: CaseEvents.registry(), options: ProjectionOptions(savesState: false))
            try await CityProjections.register(in: engine)
            return try await engine.status()
        }
        if json {
            struct Row: Encodable {
                let name: String
                let savedCheckpoint: UInt64?
                let head: UInt64
                let behind: UInt64
                let lagSeconds: Double
            }
            let rows = statuses.map {
                Row(name: $0.name, savedCheckpoint: $0.savedCheckpoint, head: $0.head, behind: $0.lagEvents, lagSeconds: $0.lagSeconds)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Output.line(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        Output.line(Self.pad("read model", 22) + Self.pad("saved at", 12, right: true) + Self.pad("head", 12, right: true)
                    + Self.pad("behind", 12, right: true) + Self.pad("lag", 12, right: true))
        for s in statuses {
            let saved = s.savedCheckpoint.map(String.init) ?? "never"
            let lag = s.lagEvents == 0 ? "-" : Self.duration(s.lagSeconds)
            Output.line(Self.pad(s.name, 22) + Self.pad(saved, 12, right: true) + Self.pad(String(s.head), 12, right: true)
                        + Self.pad(String(s.lagEvents), 12, right: true) + Self.pad(lag, 12, right: true))
        }
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }

    /// A lag in the largest unit that keeps it readable.
    private static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<120: return String(format: "%.0f s", seconds)
        case ..<7_200: return String(format: "%.0f min", seconds / 60)
        case ..<172_800: return String(format: "%.0f h", seconds / 3_600)
        default: return String(format: "%.0f days", seconds / 86_400)
        }
    }
}
