import CaseLedger
import Foundation

/// Reads key files written by `caseledger keygen`.
enum KeyFiles {
    static func text(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read the key file \(path)") }
        return String(decoding: data, as: UTF8.self)
    }

    static let privatePrefix = "caseledger-ed25519-private "
    static let publicPrefix = "caseledger-ed25519-public "

    static func signingKey(_ path: String) throws -> AuditSigningKey {
        let t = try text(path).trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.hasPrefix(privatePrefix), let key = AuditSigningKey(hex: String(t.dropFirst(privatePrefix.count))) else {
            throw CLIError("\(path) is not a CaseLedger private key")
        }
        return key
    }

    static func publicKey(_ path: String) throws -> AuditPublicKey {
        let t = try text(path).trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.hasPrefix(publicPrefix), let key = AuditPublicKey(hex: String(t.dropFirst(publicPrefix.count))) else {
            throw CLIError("\(path) is not a CaseLedger public key")
        }
        return key
    }
}
