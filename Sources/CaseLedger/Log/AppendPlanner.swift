import Foundation

/// The append rules, written once for every backend: validation, expected
/// versions, idempotency, positions and the audit chain.
///
/// ``validate(_:maximumPayloadSize:)`` runs before an append is queued;
/// ``plan(_:after:versions:now:into:)`` runs inside the write transaction on
/// what the transaction read, and encodes the records to write.
enum AppendPlanner {
    /// The longest event type name, in UTF-8 bytes.
    static let maximumTypeByteCount = 200

    /// Checks what can be checked without storage: non-empty parts, payload
    /// sizes, type names, schema versions, and no id repeated in the request.
    static func validate(_ appends: [StreamAppend], maximumPayloadSize: Int) throws(EventStoreError) {
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
                if let problem = typeNameProblem(event.type) {
                    throw EventStoreError.invalidArgument("event \(event.id.uuidString) has \(problem)")
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

    /// Why a type name is refused, or `nil`: 1–200 UTF-8 bytes, no control
    /// characters, no space at either end, not only spaces.
    static func typeNameProblem(_ type: String) -> String? {
        let bytes = type.utf8.count
        if bytes == 0 || bytes > maximumTypeByteCount {
            return "a type name of \(bytes) bytes; 1 to \(maximumTypeByteCount) are allowed"
        }
        if type.unicodeScalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value <= 0x9F) }) {
            return "a type name with a control character"
        }
        if type.first?.isWhitespace == true || type.last?.isWhitespace == true {
            return "a type name that begins or ends with a space"
        }
        return nil
    }

    /// The stream names a request touches, each once, in order.
    static func streams(of appends: [StreamAppend]) -> [String] {
        var seen = Set<String>()
        return appends.compactMap { seen.insert($0.stream.value).inserted ? $0.stream.value : nil }
    }

    /// Applies expected versions, numbers the events and encodes them after
    /// `head` into `batch`.
    ///
    /// - Parameters:
    ///   - versions: each stream's current version (missing: 0); updated with
    ///     the request's new versions only when the request is accepted.
    ///   - now: the time to stamp events that carry none.
    /// - Returns: one result per part.
    /// - Throws: ``EventStoreError`` for a wrong expected version; `batch`
    ///   and `versions` are then unchanged.
    static func plan(
        _ appends: [StreamAppend],
        after head: LogHead,
        versions: inout [String: UInt64],
        now: Timestamp,
        into batch: inout RecordBatch
    ) throws(EventStoreError) -> [AppendResult] {
        var staged: [String: UInt64] = [:]
        var position = head.position
        var hash = head.hash
        var planned = RecordBatch()
        var results: [AppendResult] = []
        results.reserveCapacity(appends.count)
        for part in appends {
            let name = part.stream.value
            let current = staged[name] ?? versions[name] ?? 0
            guard part.expectedVersion.isSatisfied(byCurrentVersion: current) else {
                throw EventStoreError.wrongExpectedVersion(stream: name, expected: part.expectedVersion, actual: current)
            }
            var version = current
            var positions: [UInt64] = []
            positions.reserveCapacity(part.events.count)
            for event in part.events {
                position += 1
                version += 1
                planned.append(position: position, stream: name, streamVersion: version, event: event,
                               recordedAt: event.metadata.recordedAt ?? now, previous: hash)
                hash = planned.lastHash
                positions.append(position)
            }
            staged[name] = version
            planned.setVersion(version, of: name)
            results.append(AppendResult(positions: positions, streamVersion: version, wasAlreadyStored: false))
        }
        versions.merge(staged) { $1 }
        batch.append(contentsOf: planned)
        return results
    }

    /// The answer to a request whose event ids are already stored: the
    /// original positions when every id is stored with the same content,
    /// otherwise ``EventStoreError/Code/eventIDReused``.
    ///
    /// - Parameters:
    ///   - known: the stored position of each known id of the request.
    ///   - records: the stored value at each of those positions.
    static func repeatResults(_ appends: [StreamAppend], known: [UUID: UInt64], records: [UInt64: [UInt8]]) throws -> [AppendResult] {
        let total = appends.reduce(0) { $0 + $1.events.count }
        guard let first = appends.lazy.flatMap(\.events).first(where: { known[$0.id] != nil }),
              let firstPosition = known[first.id] else { return [] }
        guard known.count == total else {
            throw EventStoreError.eventIDReused(
                first.id, position: firstPosition,
                reason: "is already stored at position \(firstPosition), and the batch mixes stored and new event ids"
            )
        }
        var results: [AppendResult] = []
        for part in appends {
            var positions: [UInt64] = []
            var lastVersion: UInt64 = 0
            for event in part.events {
                guard let position = known[event.id], let bytes = records[position] else {
                    throw EventStoreError.corrupted("the event id index names a position that holds no record", position: known[event.id])
                }
                try bytes.withUnsafeBytes { raw in
                    let record = try RecordView(stored: raw)
                    if let reason = try mismatch(stored: record, proposed: event, stream: part.stream.value) {
                        throw EventStoreError.eventIDReused(event.id, position: position, reason: "is already stored at position \(position) with other content (\(reason))")
                    }
                    lastVersion = record.streamVersion
                }
                positions.append(position)
            }
            results.append(AppendResult(positions: positions, streamVersion: lastVersion, wasAlreadyStored: true))
        }
        return results
    }

    /// Why a stored event differs from a proposed one with the same id, or
    /// `nil` when they are the same. A proposed event without a recorded-at
    /// time matches any stored time.
    static func mismatch(stored: RecordView, proposed: EventData, stream: String) throws -> String? {
        if !stored.streamBytes.elementsEqual(stream.utf8) { return "stream '\(stored.streamName)' differs" }
        if !stored.typeBytes.elementsEqual(proposed.type.utf8) { return "type differs" }
        if stored.schemaVersion != proposed.schemaVersion { return "schema version differs" }
        if !stored.payload.elementsEqual(proposed.payload) { return "payload differs" }
        var storedMetadata = try stored.metadata()
        if proposed.metadata.recordedAt == nil { storedMetadata.recordedAt = nil }
        if storedMetadata != proposed.metadata { return "metadata differs" }
        return nil
    }
}
