import Foundation

/// The canonical binary form of a stored record, shared by every backend.
///
/// Layout (format 1), all integers big-endian:
///
/// | field | bytes |
/// | --- | --- |
/// | format | 1 (`1`) |
/// | position | 8 |
/// | stream version | 8 |
/// | event id | 16 |
/// | recorded at, µs since 1970 | 8 |
/// | schema version | 2 |
/// | stream name | LEB128 length + UTF-8 |
/// | type | LEB128 length + UTF-8 |
/// | flags (1 correlation, 2 causation, 4 actor) | 1 |
/// | correlation id, causation id | 16 each, when flagged |
/// | actor | LEB128 length + UTF-8, when flagged |
/// | property count, then each key and value | LEB128 + strings, keys sorted by UTF-8 bytes |
/// | payload | LEB128 length + bytes |
///
/// A stored value is the canonical bytes followed by the 32-byte audit hash,
/// `SHA-256(previous hash ‖ canonical bytes)`. The position is part of the
/// canonical bytes, so a record moved to another place breaks the chain.
package enum RecordFormat {
    /// The only format written so far.
    package static let currentFormat: UInt8 = 1
    /// Bytes of the audit hash that end every stored value.
    package static let hashSize = 32

    /// Encodes the canonical bytes of a record.
    package static func canonicalBytes(
        position: UInt64,
        stream: String,
        streamVersion: UInt64,
        event: EventData,
        recordedAt: Timestamp
    ) -> [UInt8] {
        var w = ByteWriter(capacity: 96 + stream.utf8.count + event.type.utf8.count + event.payload.count)
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
        if m.correlationID != nil { flags |= 1 }
        if m.causationID != nil { flags |= 2 }
        if m.actor != nil { flags |= 4 }
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
        return w.bytes
    }

    /// Decodes a stored value (canonical bytes and hash).
    ///
    /// - Throws: ``RecordFormatError`` when the bytes are not a record.
    package static func decode(stored: UnsafeRawBufferPointer) throws(RecordFormatError) -> RecordedEvent {
        guard stored.count > hashSize else { throw RecordFormatError("a stored value of \(stored.count) bytes is too short") }
        let canonical = UnsafeRawBufferPointer(rebasing: stored[..<(stored.count - hashSize)])
        let hash = AuditHash(bytes: Array(stored[(stored.count - hashSize)...]))
        return try decode(canonical: canonical, hash: hash)
    }

    /// Decodes canonical bytes.
    package static func decode(canonical: UnsafeRawBufferPointer, hash: AuditHash) throws(RecordFormatError) -> RecordedEvent {
        var r = ByteReader(canonical)
        do {
            let format = try r.readUInt8()
            guard format == currentFormat else { throw RecordFormatError("unknown record format \(format)") }
            let position = try r.readUInt64()
            let streamVersion = try r.readUInt64()
            let id = try r.readUUID()
            let recordedAt = Timestamp(microsecondsSince1970: try r.readInt64())
            let schemaVersion = try r.readUInt16()
            let stream = try r.readString()
            let type = try r.readString()
            let flags = try r.readUInt8()
            var metadata = EventMetadata(recordedAt: recordedAt)
            if flags & 1 != 0 { metadata.correlationID = try r.readUUID() }
            if flags & 2 != 0 { metadata.causationID = try r.readUUID() }
            if flags & 4 != 0 { metadata.actor = try r.readString() }
            let count = try r.readVarUInt()
            if count > 0 {
                guard count <= UInt64(r.remaining) else { throw RecordFormatError("bad property count \(count)") }
                for _ in 0..<count {
                    let k = try r.readString()
                    metadata.properties[k] = try r.readString()
                }
            }
            let payload = try r.readLengthPrefixedBytes()
            guard r.isAtEnd else { throw RecordFormatError("\(r.remaining) trailing bytes after the payload") }
            guard StreamName.problem(with: stream) == nil else { throw RecordFormatError("stored stream name is invalid") }
            return RecordedEvent(
                position: position, stream: StreamName(trusted: stream), streamVersion: streamVersion,
                id: id, type: type, schemaVersion: schemaVersion, payload: payload, metadata: metadata, hash: hash
            )
        } catch let error as ByteReaderError {
            throw RecordFormatError(error.description)
        } catch let error as RecordFormatError {
            throw error
        } catch {
            throw RecordFormatError("\(error)")
        }
    }

    /// Reads the position, stream name and type of stored bytes without
    /// decoding the rest (for filtered scans).
    package static func peek(stored: UnsafeRawBufferPointer) throws(RecordFormatError) -> (position: UInt64, stream: UnsafeRawBufferPointer, type: UnsafeRawBufferPointer) {
        var r = ByteReader(stored)
        do {
            guard try r.readUInt8() == currentFormat else { throw ByteReaderError(offset: 0, wanted: 1) }
            let position = try r.readUInt64()
            r.offset += 8 + 16 + 8 + 2
            let sn = try r.readVarUInt()
            let stream = try r.readSlice(Int(clamping: sn))
            let tn = try r.readVarUInt()
            let type = try r.readSlice(Int(clamping: tn))
            return (position, stream, type)
        } catch {
            throw RecordFormatError("\(error)")
        }
    }

    /// Decodes a stored value held in an array.
    package static func decode(stored: [UInt8]) throws(RecordFormatError) -> RecordedEvent {
        let result: Result<RecordedEvent, RecordFormatError> = stored.withUnsafeBytes { raw in
            do throws(RecordFormatError) {
                return .success(try decode(stored: raw))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Builds the stored value of a record: canonical bytes followed by its hash.
    package static func stored(canonical: [UInt8], previous: AuditHash) -> (value: [UInt8], hash: AuditHash) {
        let hash = AuditHash.chain(previous: previous, canonical: canonical)
        var value = canonical
        value.append(contentsOf: hash.bytes)
        return (value, hash)
    }
}
