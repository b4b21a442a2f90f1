import Crypto

/// A 32-byte SHA-256 value of the audit chain.
///
/// Every record's hash is `SHA-256(previous record's hash ‖ canonical bytes)`;
/// the first record chains from ``genesis``.
public struct AuditHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes.
    public private(set) var bytes: [UInt8]

    /// Wraps 32 bytes; `nil` for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Wraps bytes the caller took from a 32-byte field.
    init(trusted bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Wraps a SHA-256 digest.
    init(digest: SHA256.Digest) {
        self.bytes = Array(digest)
    }

    /// Parses 64 hexadecimal digits; `nil` when the text is not one.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(32)
        var i = 0
        while i < 64 {
            guard let hi = AuditHash.nibble(utf8[i]), let lo = AuditHash.nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        self.bytes = out
    }

    /// The value the first record chains from: SHA-256 of `"CaseLedger genesis v1"`.
    public static let genesis = AuditHash(digest: SHA256.hash(data: Array("CaseLedger genesis v1".utf8)))

    /// The hash of a record whose canonical bytes are `canonical`, following `previous`.
    public static func chain(previous: AuditHash, canonical: some Collection<UInt8>) -> AuditHash {
        var hasher = SHA256()
        previous.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        if let done: Void = canonical.withContiguousStorageIfAvailable({ hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }) {
            _ = done
        } else {
            hasher.update(data: Array(canonical))
        }
        return AuditHash(digest: hasher.finalize())
    }

    /// Lower-case hexadecimal.
    public var hex: String { AuditHash.hexString(bytes) }

    public var description: String { hex }

    /// Bytes as lower-case hexadecimal.
    public static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses hexadecimal of any even length; `nil` when it is not hex.
    public static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
