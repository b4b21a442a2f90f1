import ArgumentParser
import CaseLedger
import Foundation

/// `caseledger`: the event store and case ledger from the command line.
@main
struct CaseLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caseledger",
        abstract: "An event-sourced, tamper-evident case ledger.",
        discussion: """
        The store is --store PATH (an LMDB directory) or --store postgres://user@host/db; \
        $CASELEDGER_STORE sets the default (./caseledger-data otherwise). Commands that only \
        read open the store read-only. A store is created only by `init` or by --create.

        Shell completion: caseledger --generate-completion-script bash|zsh|fish
        """,
        version: CaseLedgerVersion.current,
        subcommands: [
            DemoCommand.self, InitCommand.self, GenerateCommand.self, AppendCommand.self, ReadCommand.self, ReadAllCommand.self,
            ReportCommand.self, RebuildCommand.self, VerifyCommand.self, KeygenCommand.self, CheckpointCommand.self,
            ExportCommand.self, ImportCommand.self, ForgetCommand.self, KeysCommand.self, StatsCommand.self, StatusCommand.self, RowsCommand.self, TailCommand.self, TypesCommand.self,
        ]
    )

    /// Runs the command; any failure is one line on stderr and a non-zero exit.
    static func main() async {
        // Arguments must be text as given: invalid UTF-8 would be stored with
        // replacement characters.
        for i in 1..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[i] else { continue }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
            if String(validating: bytes, as: UTF8.self) == nil {
                Output.error("error: argument \(i) is not valid UTF-8")
                Foundation.exit(2)
            }
        }
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as CLIError {
            Output.error("error: \(error.message)")
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Output.line(fullMessage(for: error))
                Foundation.exit(0)
            }
            let text = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Output.error(text.hasPrefix("Error: ") ? "error: " + text.dropFirst(7) : "error: " + text)
            Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}
