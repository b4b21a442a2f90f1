import ArgumentParser
import CaseLedger
import Foundation

/// `caseledger keygen`: a new Ed25519 signing key.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keygen", abstract: "Write a signing key to FILE and its public key to FILE.pub.")

    @Option(help: "Where to write the private key.") var out: String

    func run() throws {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: out), !fm.fileExists(atPath: out + ".pub") else {
            throw CLIError("\(out) or \(out).pub exists; refusing to overwrite a key")
        }
        let key = AuditSigningKey()
        guard fm.createFile(atPath: out, contents: Data((KeyFiles.privatePrefix + key.hex + "\n").utf8), attributes: [.posixPermissions: 0o600]),
              fm.createFile(atPath: out + ".pub", contents: Data((KeyFiles.publicPrefix + key.publicKey.hex + "\n").utf8)) else {
            throw CLIError("cannot write \(out)")
        }
        Output.line("private key: \(out)")
        Output.line("public key:  \(out).pub \(key.publicKey.hex)")
    }
}
