/// Walks the stored log in constant memory and names the first position
/// whose order, hash or content does not match.
///
/// For each record it checks that positions run 1, 2, 3… without a gap, that
/// the record is stored under its own position, that it chains from the
/// record before it (the stored hash equals `SHA-256(previous hash ‖ stored
/// canonical bytes)`, computed over the bytes as stored, so one flipped byte
/// anywhere in a record fails) and that its bytes are the one canonical
/// encoding of their record (``RecordView/checkCanonical()``).
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
    ///   - progress: called now and then with the position reached.
    public func verify(checkpoints: [SignedCheckpoint] = [], publicKey: AuditPublicKey? = nil,
                       progress: (@Sendable (UInt64) -> Void)? = nil) async throws(EventStoreError) -> VerificationReport {
        var previous = AuditHash.genesis
        var expected: UInt64 = 1
        var hashes: [UInt64: AuditHash] = [:]
        let wanted = Set(checkpoints.map(\.position))
        var failure: VerificationFailure?
        do {
            try await store.scanRecords(from: 1, through: .max, category: nil) { view in
                if let reason = Self.check(view, previous: previous) {
                    failure = VerificationFailure(position: expected, reason: reason)
                    return false
                }
                previous = view.hash
                if wanted.contains(view.position) { hashes[view.position] = previous }
                expected += 1
                if expected % UInt64(pageSize) == 0 { progress?(expected - 1) }
                return true
            }
        } catch let error as EventStoreError where error.code == .corrupted {
            failure = VerificationFailure(position: error.position ?? expected, reason: error.message)
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw EventStoreError.storage("\(error)")
        }
        if let failure {
            return VerificationReport(events: expected - 1, headHash: previous, checkpointsVerified: 0, failure: failure)
        }
        let head = expected - 1
        progress?(head)
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

    /// Why a stored record fails to follow `previous`, or `nil`.
    static func check(_ view: RecordView, previous: AuditHash) -> String? {
        guard view.chains(from: previous) else {
            return "the hash does not match the record's bytes and the previous hash (content or chain altered)"
        }
        do throws(RecordFormatError) {
            try view.checkCanonical()
        } catch {
            return "the record's bytes are not in canonical form: \(error.message)"
        }
        return nil
    }
}
