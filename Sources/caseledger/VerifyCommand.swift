import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger verify`: the hash chain, and signed checkpoints with a key.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the hash chain, the indexes and the signed checkpoints.",
        discussion: """
        Reads only. Checks every record's hash and its chain, that each stream's versions \
        follow one another, that the head is the last record, and that every index entry \
        (streams, heads, event ids, categories) agrees with the record it names and every \
        record has its entries. With --read-models, also that each saved city read model \
        (its state and every row of its tables) is what a replay of the log up to its \
        saved checkpoint gives. Exit status:
          0  the log verifies (and every signed checkpoint, with --key; every saved read model, with --read-models)
          1  the log, an index, a checkpoint or a saved read model fails: the line names the first bad position, index or read model
          2  the store or a file cannot be read, or the arguments are wrong
          3  the log verifies, but the store keeps signed checkpoints that were not
             checked because no --key was given

        Examples:
          caseledger verify
          caseledger verify --key city.key.pub --checkpoint checkpoint-2025-06.json
          caseledger verify --read-models
        """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The public key file; checks the signed checkpoints (each once).") var key: String?
    @Option(help: "A checkpoint file kept apart from the store (repeatable).") var checkpoint: [String] = []
    @Flag(help: "Also check each saved city read model (state and rows) against a replay of the log.") var readModels = false

    func run() async throws {
        do {
            try await verify()
        } catch let error as CLIError where error.exitCode == 1 {
            throw CLIError(error.message, exitCode: 2)
        }
    }

    func verify() async throws {
        let publicKey = try key.map { try KeyFiles.publicKey($0) }
        var external: [SignedCheckpoint] = []
        for path in checkpoint {
            guard let data = FileManager.default.contents(atPath: path),
                  let c = try? JSONDecoder().decode(SignedCheckpoint.self, from: data) else { throw CLIError("cannot read the checkpoint file \(path)") }
            external.append(c)
        }
        if publicKey == nil && !external.isEmpty { throw CLIError("--checkpoint needs --key to check its signature") }
        let bar = ProgressBar("verify")
        let (report, stored, readModelChecks) = try await storeOptions.with(.read) { store in
            let stored = try await SignedCheckpoint.stored(in: store)
            // Each checkpoint once, whether kept in the store, given as a file, or both.
            let checkpoints = Array(Set(stored + external))
            let report = try await LogVerifier(store: store).verify(checkpoints: publicKey == nil ? [] : checkpoints, publicKey: publicKey) { progress in
                bar.update(done: progress.done, total: progress.total)
            }
            guard readModels, report.failure == nil else { return (report, stored, [ReadModelCheck]()) }
            let checks = try await ProjectionReplayer(store: store, registry: CaseEvents.registry()).checkSaved(CityProjections.all, in: store)
            return (report, stored, checks)
        }
        bar.finish()
        if let failure = report.failure {
            if let index = failure.index {
                Output.line("verification failed in the \(index) index: \(failure.reason)")
            } else {
                Output.line("verification failed at position \(failure.position): \(failure.reason)")
            }
            throw ExitCode(1)
        }
        if let bad = readModelChecks.first(where: { !$0.agrees }) {
            let why = bad.problem ?? "saved digest \(bad.savedDigest ?? "-"), the log gives \(bad.replayedDigest ?? "-")"
            Output.line("verification failed in the read model \(bad.name) saved at \(bad.savedCheckpoint ?? 0): it does not match the log (\(why)); rebuild it")
            throw ExitCode(1)
        }
        for check in readModelChecks {
            if let at = check.savedCheckpoint {
                Output.line("read model \(check.name): saved at \(at), matches the log")
            } else {
                Output.line("read model \(check.name): not saved")
            }
        }
        Output.line("ok: \(report.events) events, head hash \(report.events == 0 ? "-" : report.headHash.hex), \(report.checkpointsVerified) signed checkpoints verified")
        if publicKey == nil && !stored.isEmpty {
            Output.line("note: the store keeps \(Set(stored).count) signed checkpoints that were not checked; give --key PUBLIC-KEY-FILE to check them")
            throw ExitCode(3)
        }
    }
}
