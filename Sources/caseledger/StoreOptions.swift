import ArgumentParser
import CaseLedger
import CaseLedgerLMDB
#if PostgreSQL
import CaseLedgerPostgres
#endif
import Foundation

/// `--store PATH|postgres://…`: the store a command works on.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The store: a directory holding an LMDB environment, or a postgres://user@host:port/database[?schema=name] URL.",
        discussion: "Defaults to $CASELEDGER_STORE, else ./caseledger-data."))
    var store: String?

    /// The store named by `--store`, `CASELEDGER_STORE` or the default.
    var location: String {
        store ?? ProcessInfo.processInfo.environment["CASELEDGER_STORE"] ?? "./caseledger-data"
    }

    var isPostgres: Bool { location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") }

    /// Whether an LMDB store exists at the path (a PostgreSQL store is checked on connect).
    var exists: Bool { isPostgres || FileManager.default.fileExists(atPath: location + "/data.mdb") }

    /// What a command does with the store.
    enum Access {
        /// Reads only: the store is opened read-only and nothing is written.
        case read
        /// Writes to an existing store.
        case write
        /// Writes, creating the store when it is missing.
        case create
    }

    /// Opens the store; a missing store is an error unless `access` creates it.
    func open(_ access: Access, durability: LMDBDurability = .durable) async throws -> any ReadModelStore {
        if isPostgres {
            #if PostgreSQL
            do {
                var configuration = try PostgresStoreConfiguration(url: location)
                configuration.readOnly = access == .read
                configuration.createsSchema = access == .create
                return try await PostgresEventStore.connect(configuration)
            } catch {
                throw CLIError("cannot open \(location): \(error.message)")
            }
            #else
            throw CLIError("this caseledger was built without PostgreSQL: build it with `make build` (swift build --traits PostgreSQL) to use \(location)", exitCode: 2)
            #endif
        }
        if access != .create && !FileManager.default.fileExists(atPath: location + "/data.mdb") {
            throw CLIError("no store at \(location) (create one with `caseledger init --store \(location)`, or pass --create)")
        }
        let lmdbAccess: LMDBAccess = switch access {
        case .read: .readOnly
        case .write: .readWrite
        case .create: .create
        }
        do {
            return try LMDBEventStore(path: location, access: lmdbAccess, durability: durability)
        } catch {
            throw CLIError("cannot open the store at \(location): \(error.message)")
        }
    }

    /// Runs `body` with the store open, closing it however `body` ends;
    /// store errors become one-line CLI errors.
    func with<T>(_ access: Access, durability: LMDBDurability = .durable, _ body: (any ReadModelStore) async throws -> T) async throws -> T {
        let store = try await open(access, durability: durability)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch let error as CLIError {
            await store.close()
            throw error
        } catch let error as EventStoreError {
            await store.close()
            throw CLIError(error.message)
        } catch let error as ProjectionError {
            await store.close()
            throw CLIError(error.description)
        } catch {
            await store.close()
            throw CLIError("\(error)")
        }
    }
}

extension StoreOptions {
    /// Runs `body` with the store and its key store open (LMDB: the
    /// environment `keys` inside the store's directory; PostgreSQL: the
    /// table `personal_keys` in the store's schema).
    func withKeys<T>(_ access: Access, _ body: (any ReadModelStore, any PersonalKeyStorage) async throws -> T) async throws -> T {
        try await with(access) { store in
            let keys: any PersonalKeyStorage
            do throws(PersonalDataError) {
                keys = try await keyStorage(of: store, readOnly: false)
            } catch {
                throw CLIError("cannot open the key store of \(location): \(error.message)")
            }
            do {
                let result = try await body(store, keys)
                await keys.close()
                return result
            } catch let error as PersonalDataError {
                await keys.close()
                throw CLIError(error.message)
            } catch {
                await keys.close()
                throw error
            }
        }
    }
}

extension StoreOptions {
    /// The key store beside `store`: LMDB's environment `keys` in the
    /// store's directory, or PostgreSQL's table `personal_keys`, made when
    /// missing. Read only, nothing is made: a store without one holds no keys.
    func keyStorage(of store: any ReadModelStore, readOnly: Bool) async throws(PersonalDataError) -> any PersonalKeyStorage {
        #if PostgreSQL
        if let postgres = store as? PostgresEventStore { return try await PostgresKeyStorage(store: postgres, readOnly: readOnly) }
        #endif
        let path = location + "/keys"
        if readOnly && !FileManager.default.fileExists(atPath: path + "/data.mdb") { return InMemoryKeyStorage() }
        return try LMDBKeyStorage(path: path, readOnly: readOnly)
    }
}

/// `--create`: whether a writing command may create a missing store.
struct CreateOption: ParsableArguments {
    @Flag(help: "Create the store when it does not exist yet (otherwise a missing store is an error).")
    var create = false

    var access: StoreOptions.Access { create ? .create : .write }
}
