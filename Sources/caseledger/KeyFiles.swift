import CaseLedger
import Foundation

/// Reads key files written by `caseledger keygen`.
enum KeyFiles {
    static func text(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read the key file \(path)") }
        return String(decoding: data, as: UTF8.self)
    }

    static func signingKey(_ path: String) throws -> AuditSigningKey {
        guard let key = AuditSigningKey(hex: try text(path)) else { throw CLIError("\(path) is not a CaseLedger private key") }
        return key
    }

    static func publicKey(_ path: String) throws -> AuditPublicKey {
        guard let key = AuditPublicKey(hex: try text(path)) else { throw CLIError("\(path) is not a CaseLedger public key") }
        return key
    }
}
