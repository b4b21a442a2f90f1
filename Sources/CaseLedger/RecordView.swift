/// A stored record read in place: the fields a fold needs, pointing into the
/// stored bytes without copying them.
///
/// Valid only while the stored bytes are (inside a scan's closure).
package struct RecordView {
    /// The stored value: canonical bytes and hash.
    package let stored: UnsafeRawBufferPointer
    package let position: UInt64
    package let streamVersion: UInt64
    package let recordedAt: Timestamp
    package let schemaVersion: UInt16
    /// The stream name's UTF-8 bytes.
    package let stream: UnsafeRawBufferPointer
    /// The type name's UTF-8 bytes.
    package let type: UnsafeRawBufferPointer
    /// The payload bytes.
    package let payload: UnsafeRawBufferPointer

    /// Reads the header of a stored value, checking every bound and that the
    /// payload ends where the hash begins.
    ///
    /// - Throws: ``RecordFormatError`` when the bytes are not a record.
    package init(stored: UnsafeRawBufferPointer) throws(RecordFormatError) {
        // One bounds check per field over raw loads: this runs once per
        // record of every scan.
        let end = stored.count - RecordFormat.hashSize
        guard end >= 1 + 8 + 8 + 16 + 8 + 2 + 2, let base = stored.baseAddress else {
            throw RecordFormatError("a stored value of \(stored.count) bytes is too short")
        }
        let format = base.load(as: UInt8.self)
        guard format == RecordFormat.currentFormat else { throw RecordFormatError("unknown record format \(format)") }
        position = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: 1, as: UInt64.self))
        streamVersion = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: 9, as: UInt64.self))
        recordedAt = Timestamp(microsecondsSince1970: Int64(bigEndian: base.loadUnaligned(fromByteOffset: 33, as: Int64.self)))
        schemaVersion = UInt16(bigEndian: base.loadUnaligned(fromByteOffset: 41, as: UInt16.self))
        var offset = 43
        func count() throws(RecordFormatError) -> Int {
            var value = 0
            var shift = 0
            while true {
                guard offset < end, shift < 63 else { throw RecordFormatError("a length runs past the record") }
                let byte = base.load(fromByteOffset: offset, as: UInt8.self)
                offset += 1
                value |= Int(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }
        func slice() throws(RecordFormatError) -> UnsafeRawBufferPointer {
            let length = try count()
            guard length >= 0, length <= end - offset else { throw RecordFormatError("a field of \(length) bytes runs past the record") }
            defer { offset += length }
            return UnsafeRawBufferPointer(start: base + offset, count: length)
        }
        stream = try slice()
        type = try slice()
        guard offset < end else { throw RecordFormatError("the record ends before its flags") }
        let flags = base.load(fromByteOffset: offset, as: UInt8.self)
        offset += 1
        if flags & 1 != 0 { offset += 16 }
        if flags & 2 != 0 { offset += 16 }
        guard offset <= end else { throw RecordFormatError("the record ends inside its metadata") }
        if flags & 4 != 0 { _ = try slice() }
        let properties = try count()
        guard properties >= 0, properties <= end - offset else { throw RecordFormatError("bad property count \(properties)") }
        for _ in 0..<(properties * 2) { _ = try slice() }
        payload = try slice()
        guard offset == end else { throw RecordFormatError("\(end - offset) trailing bytes after the payload") }
        self.stored = stored
    }

    /// A view of fields held elsewhere (a decoded record's); it has no
    /// stored bytes, so it cannot be materialized.
    package init(position: UInt64, streamVersion: UInt64, recordedAt: Timestamp, schemaVersion: UInt16,
                 stream: UnsafeRawBufferPointer, type: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) {
        self.stored = UnsafeRawBufferPointer(start: nil, count: 0)
        self.position = position
        self.streamVersion = streamVersion
        self.recordedAt = recordedAt
        self.schemaVersion = schemaVersion
        self.stream = stream
        self.type = type
        self.payload = payload
    }

    /// The category's bytes: the stream name up to its first `-`.
    package var category: UnsafeRawBufferPointer {
        if let dash = stream.firstIndex(of: UInt8(ascii: "-")) {
            return UnsafeRawBufferPointer(rebasing: stream[..<dash])
        }
        return stream
    }

    /// The whole record, decoded (and the stream name validated).
    package func materialize() throws(RecordFormatError) -> RecordedEvent {
        try RecordFormat.decode(stored: stored)
    }
}
