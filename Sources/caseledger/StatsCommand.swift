import ArgumentParser
import CaseLedger
import Foundation

/// `caseledger stats`: the store's size and head.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Events, streams, categories, size on disk, head.",
        discussion: """
        Reads only. Example:
          caseledger stats --json
        """)

    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "JSON instead of text.") var json = false

    func run() async throws {
        let stats = try await storeOptions.with(.read) { try await $0.statistics() }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Output.line(String(decoding: try encoder.encode(stats), as: UTF8.self))
        } else {
            Output.line("events        \(stats.events)")
            Output.line("streams       \(stats.streams)")
            Output.line("categories    \(stats.categories)")
            Output.line("bytes on disk \(stats.bytesOnDisk)")
            Output.line("head position \(stats.headPosition)")
            Output.line("head hash     \(stats.headHash)")
        }
    }
}
