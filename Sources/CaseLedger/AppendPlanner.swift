import Foundation

/// The append rules every backend shares: validation, expected versions,
/// idempotency, positions and the audit chain.
///
/// A backend calls ``validate(_:maximumPayloadSize:)`` before queuing an
/// append, then ``plan(_:head:lastHash:view:now:)`` inside its write
/// transaction and writes the planned records. Keeping the rules here makes
/// the backends equivalent by construction; the conformance suite checks it.
package enum AppendPlanner {
    /// The longest event type name, in UTF-8 bytes.
    package static let maximumTypeByteCount = 200

    /// Checks what can be checked without storage: non-empty parts, payload
    /// sizes, type names, and no id repeated in the request.
    package static func validate(_ appends: [StreamAppend], maximumPayloadSize: Int) throws(EventStoreError) {
        guard !appends.isEmpty else { throw EventStoreError.emptyBatch(stream: nil) }
        var total = 0
        for part in appends {
            guard !part.events.isEmpty else { throw EventStoreError.emptyBatch(stream: part.stream.value) }
            total += part.events.count
            if case .exact(let v) = part.expectedVersion, v > UInt64(Int64.max) {
                throw EventStoreError.invalidArgument("expected version \(v) is out of range")
            }
            for event in part.events {
                if event.payload.count > maximumPayloadSize {
                    throw EventStoreError.payloadTooLarge(event.id, size: event.payload.count, limit: maximumPayloadSize)
                }
                let typeBytes = event.type.utf8.count
                if typeBytes == 0 || typeBytes > maximumTypeByteCount {
                    throw EventStoreError.invalidArgument("event \(event.id.uuidString) has a type name of \(typeBytes) bytes; 1 to \(maximumTypeByteCount) are allowed")
                }
                if event.schemaVersion == 0 {
                    throw EventStoreError.invalidArgument("event \(event.id.uuidString) has schema version 0; versions start at 1")
                }
            }
        }
        if total > 1 {
            var seen = Set<UUID>(minimumCapacity: total)
            for part in appends {
                for event in part.events where !seen.insert(event.id).inserted {
                    throw EventStoreError.eventIDReused(event.id, position: nil, reason: "appears more than once in the batch")
                }
            }
        }
    }

    /// Applies the rules to a validated request against the current storage.
    ///
    /// - Parameters:
    ///   - appends: the request's parts.
    ///   - head: the log's head position.
    ///   - lastHash: the head record's audit hash (``AuditHash/genesis`` for an empty log).
    ///   - view: reads of the backend's transaction.
    ///   - now: the time to stamp events that carry none.
    /// - Returns: the records to write and the answer.
    /// - Throws: ``EventStoreError`` for a wrong expected version or a reused
    ///   event id; nothing is to be written then.
    package static func plan(
        _ appends: [StreamAppend],
        head: UInt64,
        lastHash: AuditHash,
        view: some AppendStorageView,
        now: Timestamp
    ) throws(EventStoreError) -> AppendPlan {
        // Idempotency: look every id up first.
        var knownCount = 0
        var firstKnown: (UUID, UInt64)?
        var knownPositions: [[UInt64]] = []
        knownPositions.reserveCapacity(appends.count)
        var total = 0
        for part in appends {
            var positions: [UInt64] = []
            for event in part.events {
                total += 1
                if let p = try view.position(ofEventID: event.id) {
                    knownCount += 1
                    if firstKnown == nil { firstKnown = (event.id, p) }
                    positions.append(p)
                }
            }
            knownPositions.append(positions)
        }
        if knownCount > 0 {
            let (firstID, firstPosition) = firstKnown!
            guard knownCount == total else {
                throw EventStoreError.eventIDReused(
                    firstID, position: firstPosition,
                    reason: "is already stored at position \(firstPosition), and the batch mixes stored and new event ids"
                )
            }
            var results: [AppendResult] = []
            for (i, part) in appends.enumerated() {
                var lastVersion: UInt64 = 0
                for (event, position) in zip(part.events, knownPositions[i]) {
                    let stored = try view.record(at: position)
                    if let reason = mismatch(stored: stored, proposed: event, stream: part.stream.value) {
                        throw EventStoreError.eventIDReused(event.id, position: position, reason: "is already stored at position \(position) with other content (\(reason))")
                    }
                    lastVersion = stored.streamVersion
                }
                results.append(AppendResult(positions: knownPositions[i], streamVersion: lastVersion, wasAlreadyStored: true))
            }
            return AppendPlan(results: results, records: [], streamHeads: [], head: head, lastHash: lastHash)
        }

        var position = head
        var hash = lastHash
        var versions: [String: UInt64] = [:]
        var order: [String] = []
        var records: [PlannedRecord] = []
        records.reserveCapacity(total)
        var results: [AppendResult] = []
        results.reserveCapacity(appends.count)
        for part in appends {
            let name = part.stream.value
            let current: UInt64
            if let staged = versions[name] {
                current = staged
            } else {
                current = try view.currentVersion(of: name)
                order.append(name)
            }
            guard part.expectedVersion.isSatisfied(byCurrentVersion: current) else {
                throw EventStoreError.wrongExpectedVersion(stream: name, expected: part.expectedVersion, actual: current)
            }
            var version = current
            var positions: [UInt64] = []
            positions.reserveCapacity(part.events.count)
            for event in part.events {
                position += 1
                version += 1
                let canonical = RecordFormat.canonicalBytes(
                    position: position, stream: name, streamVersion: version,
                    event: event, recordedAt: event.metadata.recordedAt ?? now
                )
                let (value, newHash) = RecordFormat.stored(canonical: canonical, previous: hash)
                hash = newHash
                records.append(PlannedRecord(
                    position: position, stream: name, streamVersion: version,
                    id: event.id, type: event.type, value: value, hash: newHash
                ))
                positions.append(position)
            }
            versions[name] = version
            results.append(AppendResult(positions: positions, streamVersion: version, wasAlreadyStored: false))
        }
        return AppendPlan(
            results: results, records: records,
            streamHeads: order.map { ($0, versions[$0]!) },
            head: position, lastHash: hash
        )
    }

    /// Why a stored event differs from a proposed one with the same id, or
    /// `nil` when they are the same. A proposed event without a recorded-at
    /// time matches any stored time.
    package static func mismatch(stored: RecordedEvent, proposed: EventData, stream: String) -> String? {
        if stored.stream.value != stream { return "stream '\(stored.stream.value)' differs" }
        if stored.type != proposed.type { return "type differs" }
        if stored.schemaVersion != proposed.schemaVersion { return "schema version differs" }
        if stored.payload != proposed.payload { return "payload differs" }
        var storedMetadata = stored.metadata
        if proposed.metadata.recordedAt == nil { storedMetadata.recordedAt = nil }
        if storedMetadata != proposed.metadata { return "metadata differs" }
        return nil
    }
}
