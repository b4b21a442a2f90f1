import ArgumentParser
import CaseLedger
import Foundation

/// `caseledger forget`: forgets a data subject (crypto-shredding).
struct ForgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Forget a data subject: destroy their key, so their personal fields read as erased.",
        discussion: """
        Appends one PersonalDataErased event (the subject's id and the reason, no personal data) to the \
        stream personal-erasures, then destroys the subject's key in the store's key store (LMDB: the \
        environment `keys` in the store's directory, compacted so no old page keeps the key; PostgreSQL: \
        the table personal_keys, vacuumed). The log is not changed otherwise, so `caseledger verify` \
        passes as before. Forgetting again changes nothing. No master key is needed.

        Examples:
          caseledger forget --subject citizen-00017 --reason "asked to be forgotten (request 2026-118)"
        """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The data subject's id, as the personal fields name it (a citizen's id).") var subject: String
    @Option(help: "Why, for the record (kept in the erasure event: write no personal data here).") var reason: String

    func run() async throws {
        let result = try await storeOptions.withKeys(.write) { store, keys in
            try await keys.forget(subject: subject, reason: reason, in: store)
        }
        let position = result.erasurePosition.map { "position \($0)" } ?? "an earlier position"
        if result.recordedErasure || result.destroyedKey {
            Output.line("forgot \(subject): erasure recorded at \(position)\(result.destroyedKey ? ", key destroyed" : ", it had no key")")
        } else {
            Output.line("\(subject) was forgotten before (erasure at \(position)); nothing changed")
        }
    }
}
