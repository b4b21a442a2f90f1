/// Walks the stored log and every index readers rely on, and names the first
/// place where they do not hold.
///
/// 1. **The chain**, in position order: positions run 1, 2, 3… without a
///    gap; each record is stored under its own position, chains from the
///    one before (the stored hash equals `SHA-256(previous hash ‖ stored
///    canonical bytes)`, over the bytes as stored, so one flipped byte
///    anywhere fails), is the one canonical encoding of its record
///    (``RecordView/checkCanonical()``), and is the next version of its
///    stream.
/// 2. **The head** the storage reports is the last record.
/// 3. **Every index** (``StorageIndex``): each entry agrees with the record
///    at the position it names, and every record has exactly one entry in
///    each (a stream's last version, for `heads`).
/// 4. **Signed checkpoints**, when a public key is given: each signature,
///    and the hash at each checkpoint's position.
///
/// Memory grows with the number of streams (one small entry each) and one
/// bit per event, not with the log's bytes.
///
/// ```swift
/// let report = try await LogVerifier(store: store).verify()
/// if let failure = report.failure { print(failure) }   // "position 551: the hash does not match…"
/// ```
public struct LogVerifier: Sendable {
    let store: any EventStore
    let pageSize: Int

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - store: the store to verify.
    ///   - pageSize: how many records between progress reports.
    public init(store: any EventStore, pageSize: Int = 4_096) {
        self.store = store
        self.pageSize = max(1, pageSize)
    }

    /// Verifies the chain, the head and the indexes, and the signed
    /// checkpoints when a public key is given.
    ///
    /// - Parameters:
    ///   - checkpoints: checkpoints to check against the log (each once).
    ///   - publicKey: the key they must be signed with.
    ///   - progress: called now and then with the work done so far.
    public func verify(checkpoints: [SignedCheckpoint] = [], publicKey: AuditPublicKey? = nil,
                       progress: (@Sendable (VerificationProgress) -> Void)? = nil) async throws(EventStoreError) -> VerificationReport {
        var walk = Walk(wanted: Set(checkpoints.map(\.position)))
        let total = try await store.head().position
        let steps = UInt64(1 + StorageIndex.allCases.count)
        let report = { (done: UInt64, step: String) in
            progress?(VerificationProgress(step: step, done: done, total: max(total, 1) * steps))
        }
        if let failure = try await chain(&walk, through: .max, report: { report($0, "chain") }) {
            return VerificationReport(events: walk.events, headHash: walk.previous, checkpointsVerified: 0, failure: failure)
        }
        // The head as it is now; appends made during the walk moved it on,
        // so the chain is walked on to it before they are compared (the log
        // only grows: a head behind the walk is damage).
        let head = try await store.head()
        if head.position > walk.events, let failure = try await chain(&walk, through: head.position, report: { report($0, "chain") }) {
            return VerificationReport(events: walk.events, headHash: walk.previous, checkpointsVerified: 0, failure: failure)
        }
        if head.position != walk.events || (walk.events > 0 && head.hash != walk.previous) {
            return VerificationReport(events: walk.events, headHash: walk.previous, checkpointsVerified: 0, failure: VerificationFailure(
                position: head.position,
                reason: "the stored head (position \(head.position), hash \(head.hash.hex)) is not the log's last record (position \(walk.events), hash \(walk.previous.hex))"))
        }
        for (i, index) in StorageIndex.allCases.enumerated() {
            let base = UInt64(i + 1) * max(total, 1)
            if let failure = try await self.index(index, &walk, report: { report(base + $0, "\(index) index") }) {
                return VerificationReport(events: walk.events, headHash: walk.previous, checkpointsVerified: 0, failure: failure)
            }
        }
        report(max(total, 1) * steps, "done")
        guard let publicKey else {
            return VerificationReport(events: walk.events, headHash: walk.previous, checkpointsVerified: 0, failure: nil)
        }
        return Self.checkpoints(Array(Set(checkpoints)), publicKey: publicKey, walk: walk)
    }

    /// What the walk has seen.
    struct Walk {
        var previous = AuditHash.genesis
        var events: UInt64 = 0
        let wanted: Set<UInt64>
        var hashes: [UInt64: AuditHash] = [:]
        /// Each stream's last version and first position.
        var streams: [String: (last: UInt64, first: UInt64)] = [:]

        init(wanted: Set<UInt64>) { self.wanted = wanted }
    }

    /// Step 1: the chain, on from where the walk stands through `last`;
    /// also each stream's versions.
    private func chain(_ walk: inout Walk, through last: UInt64, report: (UInt64) -> Void) async throws(EventStoreError) -> VerificationFailure? {
        var failure: VerificationFailure?
        var w = walk
        defer { walk = w }
        do {
            try await store.scanRecords(from: w.events + 1, through: last, category: nil) { view in
                let position = w.events + 1
                if let reason = Self.check(view, previous: w.previous) {
                    failure = VerificationFailure(position: position, reason: reason)
                    return false
                }
                let stream = view.streamName
                let last = w.streams[stream]?.last ?? 0
                guard view.streamVersion == last + 1 else {
                    failure = VerificationFailure(position: position, reason: last == 0
                        ? "the record is version \(view.streamVersion) of \(stream), which has no earlier version in the log"
                        : "the record is version \(view.streamVersion) of \(stream), but the version before it in the log is \(last)")
                    return false
                }
                w.streams[stream] = (view.streamVersion, w.streams[stream]?.first ?? position)
                w.previous = view.hash
                if w.wanted.contains(position) { w.hashes[position] = w.previous }
                w.events = position
                if position % UInt64(pageSize) == 0 { report(position) }
                return true
            }
        } catch {
            if let failure { return failure }
            return try Self.failure(from: error, position: w.events + 1, index: nil)
        }
        return failure
    }

    /// Step 3: one index against the records.
    private func index(_ index: StorageIndex, _ walk: inout Walk, report: (UInt64) -> Void) async throws(EventStoreError) -> VerificationFailure? {
        var failure: VerificationFailure?
        var seen = PositionSet(count: walk.events)
        var seenStreams = Set<String>()
        var entries: UInt64 = 0
        /// A heads entry ahead of the log: an append made during the walk, or damage.
        var ahead: IndexEntry?
        let w = walk
        func fail(_ reason: String, _ position: UInt64 = 0) -> Bool {
            failure = VerificationFailure(position: position, reason: reason, index: index)
            return false
        }
        do {
            try await store.scanIndex(index) { entry, view in
                entries += 1
                if entries % UInt64(pageSize) == 0 { report(entries) }
                if case .head(let stream, let version) = entry {
                    guard let known = w.streams[stream], version == known.last else {
                        if let known = w.streams[stream], version < known.last {
                            return fail("the entry \(entry) disagrees with the log, where \(stream) ends at version \(known.last)", known.first)
                        }
                        // Ahead of the walk: appended since (checked below), or damage.
                        if ahead == nil { ahead = entry }
                        if w.streams[stream] != nil, !seenStreams.insert(stream).inserted { return fail("\(stream) has two entries") }
                        return true
                    }
                    guard seenStreams.insert(stream).inserted else { return fail("\(stream) has two entries") }
                    return true
                }
                guard let position = entry.position else { return fail("the entry \(entry) names no position") }
                // Appended after the chain was walked.
                if position > w.events && view != nil { return true }
                guard let view else { return fail("the entry \(entry) names a position the log does not hold", position) }
                let agrees: Bool
                switch entry {
                case .stream(let stream, let version, _):
                    agrees = view.streamVersion == version && Array(stream.utf8).withUnsafeBytes { $0.bytesEqual(view.streamBytes) }
                case .eventID(let id, _):
                    agrees = view.eventID == id
                case .category(let category, _):
                    agrees = Array(category.utf8).withUnsafeBytes { $0.bytesEqual(view.categoryBytes) }
                case .head:
                    agrees = false
                }
                guard agrees else {
                    return fail("the entry \(entry) disagrees with the record there (\(Self.describe(view, for: index)))", position)
                }
                guard seen.insert(position) else { return fail("position \(position) has two entries; the second is \(entry)", position) }
                return true
            }
        } catch {
            if let failure { return failure }
            return try Self.failure(from: error, position: 0, index: index)
        }
        if let failure { return failure }
        if let ahead, try await store.head().position == w.events {
            // The log has not moved since the walk: the entry is wrong.
            return VerificationFailure(position: 0, reason: "the entry \(ahead) is ahead of the log, which ends at position \(w.events)", index: index)
        }
        if index == .heads {
            guard seenStreams.count == w.streams.count else {
                let missing = w.streams.filter { !seenStreams.contains($0.key) }.min { $0.value.first < $1.value.first }
                return VerificationFailure(position: missing?.value.first ?? 0,
                                           reason: "\(missing?.key ?? "a stream") has events in the log (from position \(missing?.value.first ?? 0)) but no entry", index: index)
            }
        } else if let missing = seen.firstMissing {
            return VerificationFailure(position: missing, reason: "the record at position \(missing) has no entry", index: index)
        }
        return nil
    }

    /// The fields of a record an index entry describes.
    private static func describe(_ view: RecordView, for index: StorageIndex) -> String {
        switch index {
        case .streams, .heads: return "\(view.streamName) version \(view.streamVersion)"
        case .eventIDs: return "event \(view.eventID.uuidString.lowercased())"
        case .categories: return "category \(view.category)"
        }
    }

    /// A damaged store is a failure at a place; anything else is an error.
    private static func failure(from error: any Error, position: UInt64, index: StorageIndex?) throws(EventStoreError) -> VerificationFailure {
        if let error = error as? EventStoreError {
            guard error.code == .corrupted else { throw error }
            return VerificationFailure(position: error.position ?? position, reason: error.message, index: index)
        }
        throw EventStoreError.storage("\(error)")
    }

    /// Step 4: signed checkpoints, in position order.
    static func checkpoints(_ checkpoints: [SignedCheckpoint], publicKey: AuditPublicKey, walk: Walk) -> VerificationReport {
        let head = walk.events
        var verified = 0
        var lastHolding: UInt64 = 0
        func failed(_ position: UInt64, _ reason: String) -> VerificationReport {
            VerificationReport(events: head, headHash: walk.previous, checkpointsVerified: verified,
                               failure: VerificationFailure(position: position, reason: reason))
        }
        for checkpoint in checkpoints.sorted(by: { ($0.position, $0.time, $0.hash) < ($1.position, $1.time, $1.hash) }) {
            guard checkpoint.isSigned(by: publicKey) else {
                return failed(checkpoint.position, "the checkpoint at position \(checkpoint.position) is not signed by this key")
            }
            guard checkpoint.position <= head else {
                return failed(head + 1, "the log was cut short: a checkpoint signed at \(Timestamp(microsecondsSince1970: checkpoint.time)) covers position \(checkpoint.position), but the log ends at \(head)")
            }
            guard let signed = AuditHash(hex: checkpoint.hash), walk.hashes[checkpoint.position] == signed else {
                let span = lastHolding == 0
                    ? "no earlier checkpoint holds, so the first changed position is between 1 and \(checkpoint.position)"
                    : "the checkpoint at position \(lastHolding) still holds, so the first changed position is between \(lastHolding + 1) and \(checkpoint.position)"
                return failed(lastHolding + 1, "the log was replaced up to position \(checkpoint.position) after it was signed at \(Timestamp(microsecondsSince1970: checkpoint.time)): its hash there is no longer the signed one; \(span)")
            }
            lastHolding = checkpoint.position
            verified += 1
        }
        return VerificationReport(events: head, headHash: walk.previous, checkpointsVerified: verified, failure: nil)
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

/// How far a verification has come.
public struct VerificationProgress: Sendable, Hashable {
    /// What is being checked: `chain`, `streams index`, … `done`.
    public var step: String
    /// Work done, in records visited over every step.
    public var done: UInt64
    /// All the work: the log's records, once per step.
    public var total: UInt64
}

/// One bit per position of the log: which records an index names.
struct PositionSet {
    private var words: [UInt64]
    let count: UInt64

    init(count: UInt64) {
        self.count = count
        words = Array(repeating: 0, count: Int(count / 64) + 1)
    }

    /// Adds a position in 1...count; false when it was there already.
    mutating func insert(_ position: UInt64) -> Bool {
        guard position >= 1, position <= count else { return false }
        let (w, b) = (Int((position - 1) / 64), (position - 1) % 64)
        let mask: UInt64 = 1 << b
        defer { words[w] |= mask }
        return words[w] & mask == 0
    }

    /// The lowest position in 1...count not inserted.
    var firstMissing: UInt64? {
        for (i, word) in words.enumerated() where word != .max {
            let position = UInt64(i) * 64 + UInt64((~word).trailingZeroBitCount) + 1
            return position <= count ? position : nil
        }
        return nil
    }
}
