import Foundation
import Crypto

/// An Ed25519 public key that verifies signed checkpoints.
public struct AuditPublicKey: Sendable {
    let key: Curve25519.Signing.PublicKey

    /// Parses 64 hexadecimal digits; `nil` when they are not a key.
    public init?(hex: String) {
        guard let bytes = AuditHash(hex: hex.trimmingCharacters(in: .whitespacesAndNewlines))?.bytes,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { return nil }
        self.key = key
    }

    init(_ key: Curve25519.Signing.PublicKey) { self.key = key }

    /// The key in hex.
    public var hex: String { AuditHash.hexString(Array(key.rawRepresentation)) }
}
