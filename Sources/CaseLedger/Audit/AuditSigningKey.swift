import Crypto
import Foundation

/// An Ed25519 private key that signs checkpoints of the log.
///
/// ```swift
/// let key = AuditSigningKey()
/// let checkpoint = try await key.checkpoint(store, at: Timestamp.now())
/// let ok = checkpoint.isSigned(by: key.publicKey)
/// ```
public struct AuditSigningKey: Sendable {
    let key: Curve25519.Signing.PrivateKey

    /// A new random key.
    public init() { key = Curve25519.Signing.PrivateKey() }

    /// Parses 64 hexadecimal digits; `nil` when they are not a key.
    public init?(hex: String) {
        guard let bytes = AuditHash(hex: hex.trimmingCharacters(in: .whitespacesAndNewlines))?.bytes,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else { return nil }
        self.key = key
    }

    /// The key in hex (keep it secret).
    public var hex: String { AuditHash.hexString(Array(key.rawRepresentation)) }

    /// The public key auditors verify with.
    public var publicKey: AuditPublicKey { AuditPublicKey(key.publicKey) }

    /// Signs a position, its hash and a time.
    public func sign(position: UInt64, hash: AuditHash, time: Timestamp) throws(EventStoreError) -> SignedCheckpoint {
        let message = SignedCheckpoint.message(position: position, hash: hash.hex, time: time.microsecondsSince1970)
        do {
            let signature = try key.signature(for: message)
            return SignedCheckpoint(position: position, hash: hash.hex, time: time.microsecondsSince1970,
                                    signature: AuditHash.hexString(Array(signature)), publicKey: publicKey.hex)
        } catch {
            throw EventStoreError.storage("signing failed: \(error)")
        }
    }

    /// Signs the store's head and keeps the checkpoint in the store.
    public func checkpoint(_ store: any ReadModelStore, at time: Timestamp = .now()) async throws(EventStoreError) -> SignedCheckpoint {
        let head = try await store.head()
        guard head.position > 0 else { throw EventStoreError.invalidArgument("an empty log has nothing to sign") }
        let checkpoint = try sign(position: head.position, hash: head.hash, time: time)
        var all = try await SignedCheckpoint.stored(in: store)
        all.append(checkpoint)
        try await SignedCheckpoint.save(all, in: store)
        return checkpoint
    }
}
