import ArgumentParser
import CaseLedger
import CaseManagement
import Crypto
import Foundation

/// `--master-key` for the commands that print stored events (`read`,
/// `read-all`): personal fields read in clear, or as erased once their
/// subject is forgotten, instead of in their sealed form. The keys are read
/// once, after the head: a key is kept before any event sealed with it is
/// appended, so every event up to that head finds its key unless the
/// subject was forgotten; the commands print no event past it.
struct PersonalReadOptions: ParsableArguments {
    @Option(name: .customLong("master-key"), help: ArgumentHelp(
        "Open personal fields with the store's keys, unwrapped by this master key file: they print in clear, or as {\"erased\":true} once forgotten.",
        discussion: "Without it they print as stored ({\"sealed\": base64}). The key store is only read; events appended after the command starts are not printed."))
    var masterKey: String?

    /// The case events' registry, with a vault when `--master-key` is given,
    /// and the last position it opens (`nil`: no limit): the store's keys
    /// are read (nothing is written, not even a missing key store) into
    /// memory and unwrapped there.
    func registry(for store: any ReadModelStore, at options: StoreOptions) async throws -> (EventTypeRegistry, through: UInt64?) {
        var registry = CaseEvents.registry()
        guard let masterKey else { return (registry, nil) }
        let head: UInt64
        do { head = try await store.headPosition() } catch { throw CLIError(error.message) }
        let master: SymmetricKey
        do { master = try MasterKeyFile.read(masterKey) } catch { throw CLIError(error.message) }
        do throws(PersonalDataError) {
            let keys = try await options.keyStorage(of: store, readOnly: true)
            let kept = try await keys.allKeys()
            await keys.close()
            let copy = InMemoryKeyStorage()
            _ = try await copy.insertAll(kept)
            registry.personalData = try await PersonalDataVault(storage: copy, masterKey: master)
        } catch {
            throw CLIError(error.code == .wrongMasterKey ? error.message : "cannot read the key store of \(options.location): \(error.message)")
        }
        return (registry, head)
    }
}
