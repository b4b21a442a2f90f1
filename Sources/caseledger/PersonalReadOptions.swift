import ArgumentParser
import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import Crypto
#if PostgreSQL
import CaseLedgerPostgres
#endif
import Foundation

/// `--master-key` for the commands that print events: personal fields read
/// in clear, or as erased once their subject is forgotten, instead of in
/// their sealed form.
struct PersonalReadOptions: ParsableArguments {
    @Option(name: .customLong("master-key"), help: ArgumentHelp(
        "Open personal fields with the store's keys, unwrapped by this master key file: they print in clear, or as {\"erased\":true} once forgotten.",
        discussion: "Without it they print as stored ({\"sealed\": base64}). The key store is only read."))
    var masterKey: String?

    /// The case events' registry, with a vault when `--master-key` is given:
    /// the store's keys are read (nothing is written, not even a missing key
    /// store) into memory and unwrapped there.
    func registry(for store: any ReadModelStore, at options: StoreOptions) async throws -> EventTypeRegistry {
        var registry = CaseEvents.registry()
        guard let masterKey else { return registry }
        let master: SymmetricKey
        do { master = try MasterKeyFile.read(masterKey) } catch { throw CLIError(error.message) }
        do throws(PersonalDataError) {
            let copy = InMemoryKeyStorage()
            _ = try await copy.insertAll(try await Self.keptKeys(of: store, at: options))
            registry.personalData = try await PersonalDataVault(storage: copy, masterKey: master)
        } catch {
            throw CLIError(error.code == .wrongMasterKey ? error.message : "cannot read the key store of \(options.location): \(error.message)")
        }
        return registry
    }

    /// The keys the store keeps, read only; none when it has no key store.
    private static func keptKeys(of store: any ReadModelStore, at options: StoreOptions) async throws(PersonalDataError) -> [WrappedSubjectKey] {
        #if PostgreSQL
        if let postgres = store as? PostgresEventStore {
            let keys = try await PostgresKeyStorage(store: postgres, readOnly: true)
            let kept = try await keys.allKeys()
            await keys.close()
            return kept
        }
        #endif
        let path = options.location + "/keys"
        guard FileManager.default.fileExists(atPath: path + "/data.mdb") else { return [] }
        let keys = try LMDBKeyStorage(path: path, readOnly: true)
        let kept = try await keys.allKeys()
        await keys.close()
        return kept
    }
}
