import ArgumentParser
import CaseLedger
import CaseLedgerLMDB
import CaseLedgerPostgres
import Foundation

/// `--store PATH|postgres://…`: the store a command works on.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store: a directory holding an LMDB environment, or a postgres://user@host:port/database[?schema=name] URL.")
    var store: String = "./caseledger-data"

    var isPostgres: Bool { store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") }

    /// Whether an LMDB store exists at the path (a PostgreSQL store always "exists": the schema is created on connect).
    var exists: Bool { isPostgres || FileManager.default.fileExists(atPath: store + "/data.mdb") }

    /// Opens the store; refuses a missing LMDB store unless `create`.
    func open(create: Bool = false, durability: LMDBDurability = .durable) async throws -> any ReadModelStore {
        if isPostgres {
            do {
                return try await PostgresEventStore.connect(try PostgresStoreConfiguration(url: store))
            } catch {
                throw CLIError("cannot open \(store): \(error.message)")
            }
        }
        if !create && !exists { throw CLIError("no store at \(store) (create one with `caseledger generate` or `caseledger append`)") }
        do {
            return try LMDBEventStore(path: store, durability: durability)
        } catch {
            throw CLIError("cannot open the store at \(store): \(error.message)")
        }
    }

    /// The store's statistics, whatever its backend.
    static func statistics(_ store: any ReadModelStore) async throws -> StoreStatistics {
        do {
            return try await store.statistics()
        } catch {
            throw CLIError(error.message)
        }
    }
}
