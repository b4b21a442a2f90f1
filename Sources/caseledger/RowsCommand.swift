import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger rows`: saved rows of a city read model's table, by key or range.
struct RowsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rows",
        abstract: "Saved rows of a read model's table, by key or key range, as NDJSON.",
        discussion: """
        Reads only the rows asked for, as of the read model's last save (see
        `status`), not the rest of its state. One line per row: {"key":…,"row":{…}}.
        Tables: ticket-board (tickets), evaluation-scores (units, officers),
        checkup-register (enterprises, checkups, open-points), penalty-register
        (cases, enterprises). Keys sort by their UTF-8 bytes. `--where KEY=VALUE`
        reads by a secondary key instead (the ticket board's `assignee`).
        Examples:
          caseledger rows ticket-board tickets --key T-000042
          caseledger rows evaluation-scores officers --from OF-0001 --through OF-0099
          caseledger rows penalty-register cases --limit 10
          caseledger rows ticket-board tickets --where assignee=unit-001
        """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The read model: ticket-board, evaluation-scores, checkup-register or penalty-register.") var readModel: String
    @Argument(help: "The table of the read model.") var table: String
    @Option(help: "One key.") var key: String?
    @Option(help: "The first key of a range (included).") var from: String?
    @Option(help: "The last key of a range (included).") var through: String?
    @Option(help: "At most this many rows.") var limit: Int?
    @Option(name: .customLong("where"), help: "A secondary key and its value, KEY=VALUE.") var secondary: String?

    func validate() throws {
        if key != nil && (from != nil || through != nil) { throw ValidationError("--key cannot be combined with --from or --through") }
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        if let secondary {
            guard secondary.contains("="), !secondary.hasPrefix("=") else { throw ValidationError("--where takes KEY=VALUE, e.g. assignee=unit-001") }
            if key != nil || from != nil || through != nil { throw ValidationError("--where cannot be combined with --key, --from or --through") }
        }
    }

    func run() async throws {
        let range = key.map { RowRange.key($0) } ?? RowRange(from: from, through: through, limit: limit ?? .max)
        let rows = try await storeOptions.with(.read) { store in
            try await CityProjections.savedRows(in: store, readModel: readModel, table: table, range, secondary: secondary.map { text in
                let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), String(parts[1]))
            })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for row in rows {
            Output.line("{\"key\":\(String(decoding: try encoder.encode(row.key), as: UTF8.self)),\"row\":\(row.json)}")
        }
    }
}
