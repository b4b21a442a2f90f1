import Crypto
import Foundation

/// An Ed25519 signature over a position of the log, its hash and a time.
///
/// Verifying a checkpoint against the log (``LogVerifier``) detects a log cut
/// short before the position, or rewritten at or before it. Checkpoints are
/// kept in the store (slot `$audit-checkpoints`) and exported as JSON, so an
/// auditor can hold a copy the store's owner cannot change.
public struct SignedCheckpoint: Codable, Hashable, Sendable {
    /// The position signed.
    public var position: UInt64
    /// The record's audit hash at that position, hex.
    public var hash: String
    /// When it was signed, µs since 1970.
    public var time: Int64
    /// The Ed25519 signature, hex.
    public var signature: String
    /// The signer's public key, hex.
    public var publicKey: String

    /// The slot holding a store's checkpoints.
    public static let slot = "$audit-checkpoints"

    /// The signed bytes: a fixed label, the position, the hash and the time.
    static func message(position: UInt64, hash: String, time: Int64) -> [UInt8] {
        var w = ByteWriter(capacity: 80)
        w.write(contentsOf: Array("caseledger-checkpoint-v1".utf8))
        w.write(position)
        w.write(contentsOf: AuditHash(hex: hash)?.bytes ?? [])
        w.write(time)
        return w.bytes
    }

    /// Whether the signature holds for this key.
    public func isSigned(by key: AuditPublicKey) -> Bool {
        guard let sig = AuditHash.bytes(hex: signature), sig.count == 64 else { return false }
        return key.key.isValidSignature(sig, for: Self.message(position: position, hash: hash, time: time))
    }

    /// The checkpoints kept in a store.
    public static func stored(in store: any ReadModelStore) async throws(EventStoreError) -> [SignedCheckpoint] {
        guard let saved = try await store.loadProjection(slot: slot) else { return [] }
        do throws(CodecError) {
            return try JSONCodec().decode([SignedCheckpoint].self, from: saved.state)
        } catch {
            throw EventStoreError.storage("the stored checkpoints do not decode: \(error)")
        }
    }

    /// Replaces the checkpoints kept in a store.
    public static func save(_ checkpoints: [SignedCheckpoint], in store: any ReadModelStore) async throws(EventStoreError) {
        try await store.writeReadModels([try write(checkpoints)])
    }

    /// The read-model write that keeps `checkpoints` (each once, in position order).
    public static func write(_ checkpoints: [SignedCheckpoint]) throws(EventStoreError) -> ReadModelWrite {
        let unique = Array(Set(checkpoints)).sorted { ($0.position, $0.time, $0.signature) < ($1.position, $1.time, $1.signature) }
        let bytes: [UInt8]
        do throws(CodecError) { bytes = try JSONCodec().encode(unique) } catch {
            throw EventStoreError.storage("the checkpoints do not encode: \(error)")
        }
        return .saveProjection(slot: slot, StoredProjection(checkpoint: unique.map(\.position).max() ?? 0, state: bytes))
    }
}
