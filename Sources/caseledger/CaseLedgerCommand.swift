import ArgumentParser
import Foundation

/// `caseledger`: the event store and case ledger from the command line.
@main
struct CaseLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caseledger",
        abstract: "An event-sourced, tamper-evident case ledger.",
        subcommands: [
            DemoCommand.self, GenerateCommand.self, AppendCommand.self, ReadCommand.self, ReadAllCommand.self,
            ReportCommand.self, RebuildCommand.self, VerifyCommand.self, KeygenCommand.self, CheckpointCommand.self,
            ExportCommand.self, ImportCommand.self, StatsCommand.self, TailCommand.self,
        ]
    )

    /// Runs the command; any failure is one line on stderr and a non-zero exit.
    static func main() async {
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
