import Foundation

/// Reads what a ``ByteWriter`` wrote, checking every bound.
///
/// The reader borrows its buffer: use it inside `withUnsafeBytes` or on
/// memory that outlives it (an LMDB read transaction's pages).
public struct ByteReader {
    /// The bytes being read.
    public let buffer: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    public var offset: Int
    /// What opens sealed personal fields (``PersonalText``) when their text
    /// is read; `nil` reads them as erased.
    public var personal: (any PersonalOpening)?

    /// Creates a reader at the start of `buffer`.
    public init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
        self.offset = 0
        self.personal = nil
    }

    /// Bytes left to read.
    @inlinable public var remaining: Int { buffer.count - offset }

    /// Whether every byte was read.
    @inlinable public var isAtEnd: Bool { offset == buffer.count }

    @inlinable mutating func need(_ n: Int) throws(ByteReaderError) {
        if n < 0 || buffer.count - offset < n { throw ByteReaderError(offset: offset, wanted: n) }
    }

    /// Reads one byte.
    @inlinable public mutating func readUInt8() throws(ByteReaderError) -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return buffer[offset]
    }

    /// Reads a big-endian 16-bit unsigned integer.
    @inlinable public mutating func readUInt16() throws(ByteReaderError) -> UInt16 {
        try need(2)
        defer { offset += 2 }
        return UInt16(buffer[offset]) << 8 | UInt16(buffer[offset + 1])
    }

    /// Reads a big-endian 32-bit unsigned integer.
    @inlinable public mutating func readUInt32() throws(ByteReaderError) -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// Reads a big-endian 64-bit unsigned integer.
    @inlinable public mutating func readUInt64() throws(ByteReaderError) -> UInt64 {
        try need(8)
        defer { offset += 8 }
        return UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Reads a big-endian 64-bit signed integer.
    @inlinable public mutating func readInt64() throws(ByteReaderError) -> Int64 {
        Int64(bitPattern: try readUInt64())
    }

    /// Reads a LEB128 unsigned integer.
    @inlinable public mutating func readVarUInt() throws(ByteReaderError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readUInt8()
            if shift == 63 && byte > 1 { throw ByteReaderError(offset: offset, wanted: 1) }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw ByteReaderError(offset: offset, wanted: 1) }
        }
    }

    /// Reads a zig-zag LEB128 signed integer.
    @inlinable public mutating func readVarInt() throws(ByteReaderError) -> Int64 {
        let raw = try readVarUInt()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads a UUID.
    @inlinable public mutating func readUUID() throws(ByteReaderError) -> UUID {
        try need(16)
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + 16])) }
        offset += 16
        return UUID(uuid: uuid)
    }

    /// Reads `count` raw bytes without copying.
    @inlinable public mutating func readSlice(_ count: Int) throws(ByteReaderError) -> UnsafeRawBufferPointer {
        try need(count)
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])
    }

    /// Reads `count` raw bytes into an array.
    @inlinable public mutating func readBytes(_ count: Int) throws(ByteReaderError) -> [UInt8] {
        Array(try readSlice(count))
    }

    /// Reads a LEB128 length and that many bytes.
    @inlinable public mutating func readLengthPrefixedBytes() throws(ByteReaderError) -> [UInt8] {
        let n = try readVarUInt()
        guard n <= UInt64(remaining) else { throw ByteReaderError(offset: offset, wanted: Int(clamping: n)) }
        return try readBytes(Int(n))
    }

    /// Reads a LEB128 length and that many bytes of UTF-8.
    @inlinable public mutating func readString() throws(ByteReaderError) -> String {
        let n = try readVarUInt()
        guard n <= UInt64(remaining) else { throw ByteReaderError(offset: offset, wanted: Int(clamping: n)) }
        let slice = try readSlice(Int(n))
        return String(decoding: slice, as: UTF8.self)
    }
}
