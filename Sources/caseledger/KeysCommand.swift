import ArgumentParser
import CaseLedger
import Crypto
import Foundation

/// `caseledger keys`: the master key and the key store's export.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Personal-data keys: make a master key; export and import the key store (wrapped).",
        discussion: """
        Personal fields are sealed per data subject under keys kept beside the log, wrapped by a master \
        key the application holds. An export of the log (`caseledger export`) carries the sealed values \
        only; `keys export` writes the kept keys, still wrapped, for a backup or a move, and `keys import` \
        adds them to another store's key store after checking that the master key unwraps every one.

        Examples:
          caseledger keys master --out master.key
          caseledger keys export --to keys.ndjson
          caseledger keys import --from keys.ndjson --master-key master.key --store moved
        """,
        subcommands: [Master.self, Export.self, Import.self])

    struct Master: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a new random master key to FILE (mode 0600, never replacing a file).")
        @Option(help: "Where to write the master key.") var out: String

        func run() throws {
            do { _ = try MasterKeyFile.create(out) } catch { throw CLIError(error.message) }
            Output.line("master key: \(out)")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the store's kept keys, wrapped, to FILE (a new file, mode 0600).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The file to write.") var to: String

        func run() async throws {
            let count = try await storeOptions.withKeys(.write) { _, keys in
                try await PersonalKeyArchive.export(keys, to: to)
            }
            Output.line("\(count) keys written to \(to)")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add the keys of a key file to the store's key store; checked whole first.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "A file written by `caseledger keys export`.") var from: String
        @Option(name: .customLong("master-key"), help: "The master key file that wrapped the keys.") var masterKey: String

        func run() async throws {
            let master: SymmetricKey
            do { master = try MasterKeyFile.read(masterKey) } catch { throw CLIError(error.message) }
            let result = try await storeOptions.withKeys(.write) { _, keys in
                try await PersonalKeyArchive.importKeys(from: from, into: keys, masterKey: master)
            }
            Output.line("\(result.added) keys added, \(result.present) already kept")
        }
    }
}
