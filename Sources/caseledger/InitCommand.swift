import ArgumentParser
import CaseLedger
import Foundation

/// `caseledger init`: creates an empty store.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty store (the other commands never create one by accident).",
        discussion: """
        Examples:
          caseledger init --store ./caseledger-data
          caseledger init --store postgres://ledger@127.0.0.1:5432/city?schema=ledger
        """)

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        if !storeOptions.isPostgres && storeOptions.exists { throw CLIError("\(storeOptions.location) already holds a store") }
        try await storeOptions.with(.create) { _ in }
        Output.line("created an empty store at \(storeOptions.location)")
    }
}
