import Crypto
import Foundation

/// A stored record read in place: the one parser of the record format.
///
/// A backend hands stored values (canonical bytes followed by the 32-byte
/// audit hash, see ``RecordFormat``) to the engine; the engine reads them
/// through a view without copying. The header fields are read when the view
/// is made, with one bounds check per field; the stream and type names,
/// metadata and payload stay in the stored bytes until asked for.
///
/// A view borrows memory: it is valid only inside the closure that received
/// it (a scan's visitor). Keep what you need with ``materialize()``.
///
/// ```swift
/// try await store.scanRecords(from: 1) { view in
///     print(view.position, view.typeName, view.chains(from: previous))
/// }
/// ```
public struct RecordView {
    /// The stored value: canonical bytes followed by the audit hash.
    public let stored: UnsafeRawBufferPointer
    /// The global position written in the record.
    public let position: UInt64
    /// The version of the event in its stream.
    public let streamVersion: UInt64
    /// When the event was recorded.
    public let recordedAt: Timestamp
    /// The payload's schema version.
    public let schemaVersion: UInt16
    /// The stream name's UTF-8 bytes.
    public let streamBytes: UnsafeRawBufferPointer
    /// The type name's UTF-8 bytes.
    public let typeBytes: UnsafeRawBufferPointer
    /// The payload bytes.
    public let payload: UnsafeRawBufferPointer
    /// Offset of the metadata flags byte.
    private let metadataOffset: Int
    /// Offset of the payload's length.
    private let metadataEnd: Int

    /// Offsets of the fixed-width header fields.
    enum Offset {
        static let format = 0
        static let position = 1
        static let streamVersion = 9
        static let eventID = 17
        static let recordedAt = 33
        static let schemaVersion = 41
        static let names = 43
    }

    /// Reads the header of a stored value, checking every bound, that each
    /// length is written in its shortest form, that only known metadata flags
    /// are set and that the payload ends where the hash begins.
    ///
    /// - Throws: ``RecordFormatError`` when the bytes are not a record.
    public init(stored: UnsafeRawBufferPointer) throws(RecordFormatError) {
        let end = stored.count - RecordFormat.hashSize
        guard end >= Offset.names + 2, let base = stored.baseAddress else {
            throw RecordFormatError("a stored value of \(stored.count) bytes is too short")
        }
        let format = base.load(as: UInt8.self)
        guard format == RecordFormat.currentFormat else { throw RecordFormatError("unknown record format \(format)") }
        position = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: Offset.position, as: UInt64.self))
        streamVersion = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: Offset.streamVersion, as: UInt64.self))
        recordedAt = Timestamp(microsecondsSince1970: Int64(bigEndian: base.loadUnaligned(fromByteOffset: Offset.recordedAt, as: Int64.self)))
        schemaVersion = UInt16(bigEndian: base.loadUnaligned(fromByteOffset: Offset.schemaVersion, as: UInt16.self))
        var cursor = Cursor(base: base, offset: Offset.names, end: end)
        streamBytes = try cursor.slice()
        typeBytes = try cursor.slice()
        metadataOffset = cursor.offset
        let flags = try cursor.byte()
        guard flags & ~RecordFormat.Flags.all == 0 else { throw RecordFormatError("unknown metadata flags \(flags)") }
        if flags & RecordFormat.Flags.correlation != 0 { try cursor.skip(16) }
        if flags & RecordFormat.Flags.causation != 0 { try cursor.skip(16) }
        if flags & RecordFormat.Flags.actor != 0 { _ = try cursor.slice() }
        let properties = try cursor.count()
        guard properties <= cursor.remaining / 2 else { throw RecordFormatError("bad property count \(properties)") }
        for _ in 0..<(properties * 2) { _ = try cursor.slice() }
        metadataEnd = cursor.offset
        payload = try cursor.slice()
        guard cursor.offset == end else { throw RecordFormatError("\(end - cursor.offset) trailing bytes after the payload") }
        self.stored = stored
    }

    /// The canonical bytes: everything the hash covers after the previous hash.
    public var canonicalBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: stored[..<(stored.count - RecordFormat.hashSize)])
    }

    /// The audit hash stored after the canonical bytes.
    public var hash: AuditHash {
        AuditHash(trusted: Array(stored[(stored.count - RecordFormat.hashSize)...]))
    }

    /// Whether the stored hash equals `SHA-256(previous ‖ canonical bytes)`:
    /// the record chains from the record before it.
    public func chains(from previous: AuditHash) -> Bool {
        var hasher = SHA256()
        previous.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: canonicalBytes)
        let digest = hasher.finalize()
        return digest.withUnsafeBytes { computed in
            computed.elementsEqual(UnsafeRawBufferPointer(rebasing: stored[(stored.count - RecordFormat.hashSize)...]))
        }
    }

    /// The event id.
    public var eventID: UUID {
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) {
            $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: stored[Offset.eventID..<(Offset.eventID + 16)]))
        }
        return UUID(uuid: uuid)
    }

    /// The stream name.
    public var streamName: String { String(decoding: streamBytes, as: UTF8.self) }

    /// The type name.
    public var typeName: String { String(decoding: typeBytes, as: UTF8.self) }

    /// The category's bytes: the stream name up to its first `-`.
    public var categoryBytes: UnsafeRawBufferPointer {
        if let dash = streamBytes.firstIndex(of: UInt8(ascii: "-")) {
            return UnsafeRawBufferPointer(rebasing: streamBytes[..<dash])
        }
        return streamBytes
    }

    /// The category.
    public var category: String { String(decoding: categoryBytes, as: UTF8.self) }

    /// The metadata, decoded (with ``recordedAt`` set).
    ///
    /// - Throws: ``RecordFormatError`` when the property keys are not in
    ///   strictly increasing order of their bytes (not canonical).
    public func metadata() throws(RecordFormatError) -> EventMetadata {
        guard let base = stored.baseAddress else { throw RecordFormatError("empty record") }
        var cursor = Cursor(base: base, offset: metadataOffset, end: metadataEnd)
        var metadata = EventMetadata(recordedAt: recordedAt)
        let flags = try cursor.byte()
        if flags & RecordFormat.Flags.correlation != 0 { metadata.correlationID = try cursor.uuid() }
        if flags & RecordFormat.Flags.causation != 0 { metadata.causationID = try cursor.uuid() }
        if flags & RecordFormat.Flags.actor != 0 { metadata.actor = String(decoding: try cursor.slice(), as: UTF8.self) }
        let count = try cursor.count()
        var previousKey: UnsafeRawBufferPointer?
        for _ in 0..<count {
            let key = try cursor.slice()
            let value = try cursor.slice()
            if let previousKey, !previousKey.lexicographicallyPrecedes(key) {
                throw RecordFormatError("metadata property keys are not in increasing byte order")
            }
            previousKey = key
            metadata.properties[String(decoding: key, as: UTF8.self)] = String(decoding: value, as: UTF8.self)
        }
        return metadata
    }

    /// Checks what the fast parse leaves out, so that the bytes are the one
    /// canonical encoding of their record: every name and text is valid
    /// UTF-8, the stream name is a valid ``StreamName``, the type name is
    /// 1–200 bytes, and the property keys are sorted and distinct. The
    /// verifier runs it on every record.
    public func checkCanonical() throws(RecordFormatError) {
        for (what, bytes) in [("stream name", streamBytes), ("type name", typeBytes)] where !Self.isValidUTF8(bytes) {
            throw RecordFormatError("the \(what) is not valid UTF-8")
        }
        if let problem = StreamName.problem(with: streamName) { throw RecordFormatError("the stream name is invalid: \(problem)") }
        guard (1...AppendPlanner.maximumTypeByteCount).contains(typeBytes.count) else {
            throw RecordFormatError("the type name is \(typeBytes.count) bytes long")
        }
        guard schemaVersion >= 1 else { throw RecordFormatError("schema version 0") }
        _ = try metadata()  // property keys strictly increasing, hence distinct
        guard let base = stored.baseAddress else { return }
        let flags = base.load(fromByteOffset: metadataOffset, as: UInt8.self)
        var cursor = Cursor(base: base, offset: metadataOffset + 1, end: metadataEnd)
        if flags & RecordFormat.Flags.correlation != 0 { try cursor.skip(16) }
        if flags & RecordFormat.Flags.causation != 0 { try cursor.skip(16) }
        if flags & RecordFormat.Flags.actor != 0 {
            guard Self.isValidUTF8(try cursor.slice()) else { throw RecordFormatError("the actor is not valid UTF-8") }
        }
        let properties = try cursor.count()
        for _ in 0..<(properties * 2) {
            guard Self.isValidUTF8(try cursor.slice()) else { throw RecordFormatError("a metadata property is not valid UTF-8") }
        }
    }

    /// The whole record as an owned value.
    public func materialize() throws(RecordFormatError) -> RecordedEvent {
        guard StreamName.problem(with: streamName) == nil else { throw RecordFormatError("the stored stream name is invalid") }
        return RecordedEvent(
            position: position, stream: StreamName(trusted: streamName), streamVersion: streamVersion,
            id: eventID, type: typeName, schemaVersion: schemaVersion, payload: Array(payload),
            metadata: try metadata(), hash: hash
        )
    }

    private static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Reads lengths and slices within `offset..<end`.
    private struct Cursor {
        let base: UnsafeRawPointer
        var offset: Int
        let end: Int

        var remaining: Int { end - offset }

        mutating func byte() throws(RecordFormatError) -> UInt8 {
            guard offset < end else { throw RecordFormatError("the record ends early") }
            defer { offset += 1 }
            return base.load(fromByteOffset: offset, as: UInt8.self)
        }

        mutating func skip(_ n: Int) throws(RecordFormatError) {
            guard n <= end - offset else { throw RecordFormatError("the record ends inside its metadata") }
            offset += n
        }

        mutating func uuid() throws(RecordFormatError) -> UUID {
            try skip(16)
            var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + offset - 16, count: 16)) }
            return UUID(uuid: uuid)
        }

        /// A LEB128 count in its shortest form.
        @inline(__always)
        mutating func count() throws(RecordFormatError) -> Int {
            // Most lengths are below 128: one byte.
            if offset < end {
                let first = base.load(fromByteOffset: offset, as: UInt8.self)
                if first < 0x80 {
                    offset += 1
                    return Int(first)
                }
            }
            return try longCount()
        }

        mutating func longCount() throws(RecordFormatError) -> Int {
            var value = 0
            var shift = 0
            while true {
                guard offset < end, shift < 63 else { throw RecordFormatError("a length runs past the record") }
                let byte = base.load(fromByteOffset: offset, as: UInt8.self)
                offset += 1
                value |= Int(byte & 0x7F) << shift
                if byte & 0x80 == 0 {
                    if byte == 0 && shift > 0 { throw RecordFormatError("a length is not in its shortest form") }
                    return value
                }
                shift += 7
            }
        }

        @inline(__always)
        mutating func slice() throws(RecordFormatError) -> UnsafeRawBufferPointer {
            let length = try count()
            guard length >= 0, length <= end - offset else { throw RecordFormatError("a field of \(length) bytes runs past the record") }
            defer { offset += length }
            return UnsafeRawBufferPointer(start: base + offset, count: length)
        }
    }
}
