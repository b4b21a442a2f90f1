/// Walks the stored log in constant memory and names the first position
/// whose order, hash or content does not match.
///
/// For each record it checks that positions run 1, 2, 3… without a gap,
/// that the stored hash equals `SHA-256(previous hash ‖ stored canonical
/// bytes)`, that the bytes decode to a record at that position, and that
/// re-encoding the record gives the same bytes (the canonical form). It
/// hashes the bytes as stored, so one flipped byte anywhere in a record fails.
///
/// ```swift
/// let report = try await LogVerifier(store: store).verify()
/// if let failure = report.failure { print("broken at \(failure.position): \(failure.reason)") }
/// ```
public struct LogVerifier: Sendable {
    let store: any EventStore
    let pageSize: Int

    /// Creates a verifier.
    public init(store: any EventStore, pageSize: Int = 4_096) {
        self.store = store
        self.pageSize = max(1, pageSize)
    }

    /// Verifies the chain, and the signed checkpoints when a public key is given.
    ///
    /// - Parameters:
    ///   - checkpoints: checkpoints to check against the log.
    ///   - publicKey: the key they must be signed with.
    ///   - progress: called after each page with the position reached.
    public func verify(checkpoints: [SignedCheckpoint] = [], publicKey: AuditPublicKey? = nil,
                       progress: (@Sendable (UInt64) -> Void)? = nil) async throws(EventStoreError) -> VerificationReport {
        var previous = AuditHash.genesis
        var expected: UInt64 = 1
        var hashes: [UInt64: AuditHash] = [:]
        let wanted = Set(checkpoints.map(\.position))
        while true {
            let page = try await store.readStoredRecords(from: expected, limit: pageSize)
            if page.isEmpty { break }
            for record in page {
                if let reason = Self.check(record, expected: expected, previous: previous) {
                    return VerificationReport(events: expected - 1, headHash: previous, checkpointsVerified: 0,
                                              failure: VerificationFailure(position: min(record.position, expected), reason: reason))
                }
                previous = AuditHash(bytes: Array(record.bytes.suffix(RecordFormat.hashSize)))
                if wanted.contains(record.position) { hashes[record.position] = previous }
                expected += 1
            }
            progress?(expected - 1)
        }
        let head = expected - 1
        var verified = 0
        if let publicKey {
            for checkpoint in checkpoints.sorted(by: { $0.position < $1.position }) {
                guard checkpoint.isSigned(by: publicKey) else {
                    return VerificationReport(events: head, headHash: previous, checkpointsVerified: verified,
                                              failure: VerificationFailure(position: checkpoint.position, reason: "the checkpoint's signature does not verify with this key"))
                }
                guard checkpoint.position <= head else {
                    return VerificationReport(events: head, headHash: previous, checkpointsVerified: verified,
                                              failure: VerificationFailure(position: head + 1, reason: "the log was cut short: a signed checkpoint covers position \(checkpoint.position) but the log ends at \(head)"))
                }
                guard hashes[checkpoint.position]?.hex == checkpoint.hash else {
                    return VerificationReport(events: head, headHash: previous, checkpointsVerified: verified,
                                              failure: VerificationFailure(position: checkpoint.position, reason: "the log was rewritten: position \(checkpoint.position) no longer has the hash signed at \(Timestamp(microsecondsSince1970: checkpoint.time))"))
                }
                verified += 1
            }
        }
        return VerificationReport(events: head, headHash: previous, checkpointsVerified: verified, failure: nil)
    }

    /// Why a stored record fails, or `nil`.
    static func check(_ record: StoredRecord, expected: UInt64, previous: AuditHash) -> String? {
        guard record.position == expected else {
            return record.position > expected
                ? "position \(expected) is missing (the next stored record is \(record.position))"
                : "position \(record.position) is out of order"
        }
        let bytes = record.bytes
        guard bytes.count > RecordFormat.hashSize else { return "the stored record is \(bytes.count) bytes, too short" }
        let canonical = Array(bytes.prefix(bytes.count - RecordFormat.hashSize))
        let stored = AuditHash(bytes: Array(bytes.suffix(RecordFormat.hashSize)))
        guard AuditHash.chain(previous: previous, canonical: canonical) == stored else {
            return "the hash does not match the record's bytes and the previous hash (content or chain altered)"
        }
        let decoded: RecordedEvent
        do throws(RecordFormatError) {
            decoded = try RecordFormat.decode(stored: bytes)
        } catch {
            return "the record does not decode: \(error)"
        }
        guard decoded.position == record.position else { return "the record says position \(decoded.position)" }
        let again = RecordFormat.canonicalBytes(
            position: decoded.position, stream: decoded.stream.value, streamVersion: decoded.streamVersion,
            event: EventData(id: decoded.id, type: decoded.type, schemaVersion: decoded.schemaVersion, payload: decoded.payload, metadata: decoded.metadata),
            recordedAt: decoded.recordedAt)
        guard again == canonical else { return "the record's bytes are not in canonical form" }
        return nil
    }
}
