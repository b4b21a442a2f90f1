import ArgumentParser
import CaseLedger
import Foundation

/// `caseledger keygen`: a new Ed25519 signing key.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write a signing key to FILE and its public key to FILE.pub.",
        discussion: """
        The private key file is created with mode 0600; an existing file is never replaced. Keep the
        private key with whoever signs checkpoints and give the .pub file to auditors.
        Examples:
          caseledger keygen --out audit.key
          caseledger checkpoint --key audit.key
          caseledger verify --key audit.key.pub
        """)

    @Option(help: "Where to write the private key.") var out: String

    func run() throws {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: out), !fm.fileExists(atPath: out + ".pub") else {
            throw CLIError("\(out) or \(out).pub exists; refusing to overwrite a key")
        }
        let key = AuditSigningKey()
        try Self.create(out, KeyFiles.privatePrefix + key.hex + "\n", mode: 0o600)
        try Self.create(out + ".pub", KeyFiles.publicPrefix + key.publicKey.hex + "\n", mode: 0o644)
        Output.line("private key: \(out)")
        Output.line("public key:  \(out).pub \(key.publicKey.hex)")
    }

    /// Creates a new file (never replacing one) with these permissions.
    static func create(_ path: String, _ text: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
            throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
