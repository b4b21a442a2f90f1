import ArgumentParser
import CaseLedger
import Foundation

/// `caseledger verify`: the hash chain, and signed checkpoints with a key.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verify the hash chain (and signed checkpoints); exit 1 naming the first bad position.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The public key file; checks the signed checkpoints.") var key: String?
    @Option(help: "A checkpoint file kept apart from the store (repeatable).") var checkpoint: [String] = []

    func run() async throws {
        let publicKey = try key.map { try KeyFiles.publicKey($0) }
        var external: [SignedCheckpoint] = []
        for path in checkpoint {
            guard let data = FileManager.default.contents(atPath: path),
                  let c = try? JSONDecoder().decode(SignedCheckpoint.self, from: data) else { throw CLIError("cannot read the checkpoint file \(path)") }
            external.append(c)
        }
        if publicKey == nil && !external.isEmpty { throw CLIError("--checkpoint needs --key to check its signature") }
        let store = try await storeOptions.open()
        let report: VerificationReport
        do {
            let stored = try await SignedCheckpoint.stored(in: store)
            report = try await LogVerifier(store: store).verify(checkpoints: publicKey == nil ? [] : stored + external, publicKey: publicKey)
        } catch {
            await store.close()
            throw CLIError(error.message)
        }
        await store.close()
        if let failure = report.failure {
            Output.line("verification failed at position \(failure.position): \(failure.reason)")
            throw ExitCode(1)
        }
        Output.line("ok: \(report.events) events, head hash \(report.events == 0 ? "-" : report.headHash.hex), \(report.checkpointsVerified) signed checkpoints verified")
    }
}
