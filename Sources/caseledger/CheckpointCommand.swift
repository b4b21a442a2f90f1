import ArgumentParser
import CaseLedger
import Foundation

/// `caseledger checkpoint`: signs the head and keeps the checkpoint.
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoint", abstract: "Sign the head (position, hash, time); keep and print the checkpoint.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The private key file.") var key: String
    @Option(help: "Also write the checkpoint to this file (an auditor's copy).") var out: String?

    func run() async throws {
        let signing = try KeyFiles.signingKey(key)
        let store = try await storeOptions.open()
        let checkpoint: SignedCheckpoint
        do { checkpoint = try await signing.checkpoint(store) } catch {
            await store.close()
            throw CLIError(error.message)
        }
        await store.close()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(checkpoint), as: UTF8.self)
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data((json + "\n").utf8)) else { throw CLIError("cannot write \(out)") }
        }
        Output.line(json)
    }
}
