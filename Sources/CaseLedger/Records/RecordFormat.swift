import Crypto
import Foundation

/// The canonical binary form of a stored record, shared by every backend.
///
/// Layout (format 1), all fixed-width integers big-endian, every length an
/// unsigned LEB128 in its shortest form:
///
/// | field | bytes |
/// | --- | --- |
/// | format | 1 (`1`) |
/// | position | 8 |
/// | stream version | 8 |
/// | event id | 16 |
/// | recorded at, µs since 1970 (signed) | 8 |
/// | schema version | 2 |
/// | stream name | length + UTF-8 |
/// | type | length + UTF-8 |
/// | flags (1 correlation, 2 causation, 4 actor) | 1 |
/// | correlation id, causation id | 16 each, when flagged |
/// | actor | length + UTF-8, when flagged |
/// | property count, then each key and value | count, then length + UTF-8 each; keys in increasing byte order |
/// | payload | length + bytes |
///
/// A stored value is the canonical bytes followed by the 32-byte audit hash,
/// `SHA-256(previous hash ‖ canonical bytes)`. The position is part of the
/// canonical bytes, so a record moved to another place breaks the chain.
/// ``RecordView`` is the one parser of this layout.
public enum RecordFormat {
    /// The only format written so far.
    public static let currentFormat: UInt8 = 1
    /// Bytes of the audit hash that end every stored value.
    public static let hashSize = 32

    /// The metadata flag bits.
    enum Flags {
        static let correlation: UInt8 = 1
        static let causation: UInt8 = 2
        static let actor: UInt8 = 4
        static let all: UInt8 = 7
    }

    /// The stored value (canonical bytes and hash) an event has when written
    /// at `position` after a record whose hash is `previous`: what an
    /// importer compares with a record it was given.
    ///
    /// ```swift
    /// let value = RecordFormat.storedValue(position: 1, stream: "ticket-1", streamVersion: 1,
    ///                                      event: event, recordedAt: .now(), previous: .genesis)
    /// ```
    public static func storedValue(position: UInt64, stream: String, streamVersion: UInt64, event: EventData,
                                   recordedAt: Timestamp, previous: AuditHash) -> [UInt8] {
        var bytes: [UInt8] = []
        _ = append(to: &bytes, position: position, stream: stream, streamVersion: streamVersion, event: event,
                   recordedAt: recordedAt, previous: previous)
        return bytes
    }

    /// Appends the stored value of a record (canonical bytes and hash) to
    /// `bytes` and returns its hash.
    static func append(
        to bytes: inout [UInt8],
        position: UInt64,
        stream: String,
        streamVersion: UInt64,
        event: EventData,
        recordedAt: Timestamp,
        previous: AuditHash
    ) -> AuditHash {
        let start = bytes.count
        var w = ByteWriter(capacity: 0)
        swap(&w.bytes, &bytes)  // write in place, without copying the buffer
        writeCanonical(&w, position: position, stream: stream, streamVersion: streamVersion, event: event, recordedAt: recordedAt)
        swap(&w.bytes, &bytes)
        let hash = bytes.withUnsafeBytes { chain(previous, UnsafeRawBufferPointer(rebasing: $0[start...])) }
        bytes.append(contentsOf: hash.bytes)
        return hash
    }

    /// A record's canonical bytes (its stored value without the hash).
    static func canonical(position: UInt64, stream: String, streamVersion: UInt64, event: EventData, recordedAt: Timestamp) -> [UInt8] {
        var w = ByteWriter(capacity: 96 + event.payload.count)
        writeCanonical(&w, position: position, stream: stream, streamVersion: streamVersion, event: event, recordedAt: recordedAt)
        return w.bytes
    }

    /// The audit hash of canonical bytes following `previous`.
    static func chain(_ previous: AuditHash, _ canonical: UnsafeRawBufferPointer) -> AuditHash {
        var hasher = SHA256()
        previous.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: canonical)
        return AuditHash(digest: hasher.finalize())
    }

    private static func writeCanonical(_ w: inout ByteWriter, position: UInt64, stream: String, streamVersion: UInt64,
                                       event: EventData, recordedAt: Timestamp) {
        w.write(currentFormat)
        w.write(position)
        w.write(streamVersion)
        w.write(event.id)
        w.write(recordedAt.microsecondsSince1970)
        w.write(event.schemaVersion)
        w.writeString(stream)
        w.writeString(event.type)
        let m = event.metadata
        var flags: UInt8 = 0
        if m.correlationID != nil { flags |= Flags.correlation }
        if m.causationID != nil { flags |= Flags.causation }
        if m.actor != nil { flags |= Flags.actor }
        w.write(flags)
        if let c = m.correlationID { w.write(c) }
        if let c = m.causationID { w.write(c) }
        if let a = m.actor { w.writeString(a) }
        w.writeVarUInt(UInt64(m.properties.count))
        if !m.properties.isEmpty {
            for (k, v) in m.properties.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                w.writeString(k)
                w.writeString(v)
            }
        }
        w.writeBytes(event.payload)
    }
}

/// The records one transaction writes, as a backend receives them: their
/// stored values in position order, in one buffer, and each touched stream's
/// new version.
///
/// A backend stores each record under its position and adds its index
/// entries (see ``EventStorageTransaction/insert(_:)``):
///
/// ```swift
/// try batch.forEach { record in
///     events[record.position] = Array(record.stored)
///     streams[record.streamName, record.streamVersion] = record.position
/// }
/// ```
public struct RecordBatch: Sendable {
    /// The stored values, back to back.
    private(set) var bytes: [UInt8] = []
    /// Where each stored value lies in ``bytes``.
    private(set) var ranges: [Range<Int>] = []
    /// Each touched stream's version after the batch, in the order the
    /// streams were first touched.
    public private(set) var streamVersions: [(stream: String, version: UInt64)] = []
    /// Where each stream stands in ``streamVersions``.
    private var versionIndex: [String: Int] = [:]
    /// The first record's position.
    public private(set) var firstPosition: UInt64 = 0
    /// The last record's position.
    public private(set) var lastPosition: UInt64 = 0
    /// The last record's hash.
    public private(set) var lastHash = AuditHash.genesis

    /// How many records the batch holds.
    public var count: Int { ranges.count }

    /// Whether the batch holds no record.
    public var isEmpty: Bool { ranges.isEmpty }

    init() {}

    /// Appends a record encoded after the batch's last one.
    mutating func append(position: UInt64, stream: String, streamVersion: UInt64, event: EventData,
                         recordedAt: Timestamp, previous: AuditHash) {
        let start = bytes.count
        lastHash = RecordFormat.append(to: &bytes, position: position, stream: stream, streamVersion: streamVersion,
                                       event: event, recordedAt: recordedAt, previous: previous)
        ranges.append(start..<bytes.count)
        if firstPosition == 0 { firstPosition = position }
        lastPosition = position
    }

    /// Records a stream's version after the batch.
    mutating func setVersion(_ version: UInt64, of stream: String) {
        if let i = versionIndex[stream] {
            streamVersions[i].version = version
        } else {
            versionIndex[stream] = streamVersions.count
            streamVersions.append((stream, version))
        }
    }

    /// Appends another batch that follows this one.
    mutating func append(contentsOf other: RecordBatch) {
        guard !other.isEmpty else { return }
        if isEmpty {
            self = other
            return
        }
        let offset = bytes.count
        bytes.append(contentsOf: other.bytes)
        ranges.append(contentsOf: other.ranges.map { ($0.lowerBound + offset)..<($0.upperBound + offset) })
        for (stream, version) in other.streamVersions { setVersion(version, of: stream) }
        if firstPosition == 0 { firstPosition = other.firstPosition }
        lastPosition = other.lastPosition
        lastHash = other.lastHash
    }

    /// Calls `body` with a view of each record, in position order.
    ///
    /// - Throws: what `body` throws.
    public func forEach(_ body: (RecordView) throws(EventStoreError) -> Void) throws(EventStoreError) {
        do {
            try visit(body)
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw EventStoreError.storage("a record of the batch does not parse: \(error)")
        }
    }

    /// Calls `body` with a view of each record, in position order; a record
    /// that does not parse (never: the engine encoded it) throws its
    /// ``RecordFormatError``.
    func visit(_ body: (RecordView) throws -> Void) throws {
        try bytes.withUnsafeBytes { raw in
            for range in ranges {
                try body(try RecordView(stored: UnsafeRawBufferPointer(rebasing: raw[range])))
            }
        }
    }
}
