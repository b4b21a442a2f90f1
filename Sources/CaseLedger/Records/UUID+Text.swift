import Foundation

extension UUID {
    /// Parses the 36-character form `8-4-4-4-12` (hex digits in either case),
    /// without Foundation's scanner.
    ///
    /// ```swift
    /// let id = UUID(text: "0190f3c4-6d1e-7b6a-9c1d-2f3e4a5b6c7d")
    /// ```
    public init?(text: some StringProtocol) {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var utf8 = text.utf8.makeIterator()
            var count = 0
            var index = 0
            while index < 16 {
                if count == 8 || count == 13 || count == 18 || count == 23 {
                    guard utf8.next() == UInt8(ascii: "-") else { return false }
                    count += 1
                    continue
                }
                guard let a = utf8.next(), let b = utf8.next(), let hi = AuditHash.nibble(a), let lo = AuditHash.nibble(b) else { return false }
                out[index] = hi << 4 | lo
                index += 1
                count += 2
            }
            return utf8.next() == nil
        }
        guard ok else { return nil }
        self.init(uuid: bytes)
    }
}
