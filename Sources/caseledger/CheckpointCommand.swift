import ArgumentParser
import CaseLedger
import Foundation

/// `caseledger checkpoint`: signs the head and keeps the checkpoint.
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign the head (position, hash, time); keep and print the checkpoint.",
        discussion: """
        Example (keep the .pub file and the checkpoint copy apart from the store):
          caseledger keygen --out city.key
          caseledger checkpoint --key city.key --out checkpoint-2025-06.json
          caseledger verify --key city.key.pub --checkpoint checkpoint-2025-06.json
        """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The private key file.") var key: String
    @Option(help: "Also write the checkpoint to this file (an auditor's copy).") var out: String?

    func run() async throws {
        let signing = try KeyFiles.signingKey(key)
        let checkpoint = try await storeOptions.with(.write) { try await signing.checkpoint($0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(checkpoint), as: UTF8.self)
        if let out { try OutputFile.write(Data((json + "\n").utf8), to: out) }
        Output.line(json)
    }
}
