#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension UnsafeRawBufferPointer {
    /// Whether two buffers hold the same bytes (`memcmp`, without force unwraps).
    @inline(__always)
    package func bytesEqual(_ other: UnsafeRawBufferPointer) -> Bool {
        guard count == other.count else { return false }
        guard count > 0, let a = baseAddress, let b = other.baseAddress else { return true }
        return memcmp(a, b, count) == 0
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether the bytes are well-formed UTF-8 (shortest forms, no
    /// surrogates, nothing above U+10FFFF), checked without the generic
    /// machinery of `String(validating:as:)`.
    package var isValidUTF8: Bool {
        var i = 0
        let n = count
        while i < n {
            let b = self[i]
            if b < 0x80 {
                i += 1
                continue
            }
            func continuation(_ k: Int) -> Bool { i + k < n && self[i + k] & 0xC0 == 0x80 }
            switch b {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let b1 = self[i + 1]
                if b == 0xE0 && b1 < 0xA0 { return false }  // overlong
                if b == 0xED && b1 > 0x9F { return false }  // surrogate
                i += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let b1 = self[i + 1]
                if b == 0xF0 && b1 < 0x90 { return false }  // overlong
                if b == 0xF4 && b1 > 0x8F { return false }  // above U+10FFFF
                i += 4
            default:
                return false
            }
        }
        return true
    }

    /// The bytes as a string when they are well-formed UTF-8.
    package var validatedUTF8String: String? {
        isValidUTF8 ? String(decoding: self, as: UTF8.self) : nil
    }
}
