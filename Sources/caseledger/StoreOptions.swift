import ArgumentParser
import CaseLedger
import CaseLedgerLMDB
import Foundation

/// `--store PATH`: the LMDB store a command works on.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store: a directory holding an LMDB environment.")
    var store: String = "./caseledger-data"

    /// Whether a store exists at the path.
    var exists: Bool { FileManager.default.fileExists(atPath: store + "/data.mdb") }

    /// Opens the store; refuses a missing one unless `create`.
    func open(create: Bool = false, durability: LMDBDurability = .durable) throws -> LMDBEventStore {
        if !create && !exists { throw CLIError("no store at \(store) (create one with `caseledger generate` or `caseledger append`)") }
        do {
            return try LMDBEventStore(path: store, durability: durability)
        } catch {
            throw CLIError("cannot open the store at \(store): \(error.message)")
        }
    }
}
