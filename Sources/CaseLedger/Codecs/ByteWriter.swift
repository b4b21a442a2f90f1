import Foundation

/// Appends big-endian integers, length-prefixed strings and raw bytes to a buffer.
///
/// Used for the canonical record format, the binary event codec and
/// projection state; the same values always give the same bytes.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]
    /// Seals personal fields (``PersonalText``) as they are written; `nil`
    /// writes them in clear.
    public var personal: (any PersonalSealing)?
    /// The subjects of personal fields that could not be sealed because
    /// ``personal`` had no key ready for them: the bytes written are not to
    /// be stored when this is not empty.
    public var unsealedSubjects: [String] = []

    /// Creates an empty writer with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
        personal = nil
    }

    /// Writes one byte.
    @inlinable public mutating func write(_ value: UInt8) { bytes.append(value) }

    /// Writes a 16-bit unsigned integer, big-endian.
    @inlinable public mutating func write(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// Writes a 32-bit unsigned integer, big-endian.
    @inlinable public mutating func write(_ value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a 64-bit unsigned integer, big-endian.
    @inlinable public mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a 64-bit signed integer, big-endian two's complement.
    @inlinable public mutating func write(_ value: Int64) { write(UInt64(bitPattern: value)) }

    /// Writes an unsigned integer in LEB128 form (1 byte below 128).
    @inlinable public mutating func writeVarUInt(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Writes a signed integer in zig-zag LEB128 form.
    @inlinable public mutating func writeVarInt(_ value: Int64) {
        writeVarUInt(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Writes raw bytes, without a length.
    @inlinable public mutating func write<C: Collection>(contentsOf data: C) where C.Element == UInt8 {
        bytes.append(contentsOf: data)
    }

    /// Writes a UUID's 16 bytes.
    @inlinable public mutating func write(_ id: UUID) {
        withUnsafeBytes(of: id.uuid) { bytes.append(contentsOf: $0) }
    }

    /// Writes a string's UTF-8 bytes after a LEB128 length.
    @inlinable public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeVarUInt(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Writes bytes after a LEB128 length.
    @inlinable public mutating func writeBytes(_ data: [UInt8]) {
        writeVarUInt(UInt64(data.count))
        bytes.append(contentsOf: data)
    }

    /// Overwrites a big-endian 32-bit value at an offset already written.
    @inlinable public mutating func patch(_ value: UInt32, at offset: Int) {
        bytes[offset] = UInt8(truncatingIfNeeded: value >> 24)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 16)
        bytes[offset + 2] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[offset + 3] = UInt8(truncatingIfNeeded: value)
    }
}
