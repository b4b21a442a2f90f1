import Foundation

extension UUID {
    /// A time-ordered UUID (version 7): 48 bits of Unix milliseconds, then
    /// random bits. Event ids made this way arrive at the event-id index in
    /// nearly increasing order, so an append touches one or two of its pages
    /// instead of one page per event (random ids scatter over the whole index).
    ///
    /// ```swift
    /// let id = UUID.timeOrdered()
    /// ```
    public static func timeOrdered() -> UUID {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        let milliseconds = UInt64(t.tv_sec) * 1_000 + UInt64(t.tv_nsec) / 1_000_000
        var random = SystemRandomNumberGenerator()
        let low = random.next()
        let high = random.next()
        return UUID(uuid: (
            UInt8(truncatingIfNeeded: milliseconds >> 40), UInt8(truncatingIfNeeded: milliseconds >> 32),
            UInt8(truncatingIfNeeded: milliseconds >> 24), UInt8(truncatingIfNeeded: milliseconds >> 16),
            UInt8(truncatingIfNeeded: milliseconds >> 8), UInt8(truncatingIfNeeded: milliseconds),
            0x70 | UInt8(truncatingIfNeeded: high >> 60), UInt8(truncatingIfNeeded: high >> 52),
            0x80 | UInt8(truncatingIfNeeded: high >> 46) & 0x3F, UInt8(truncatingIfNeeded: high >> 38),
            UInt8(truncatingIfNeeded: low >> 56), UInt8(truncatingIfNeeded: low >> 48),
            UInt8(truncatingIfNeeded: low >> 40), UInt8(truncatingIfNeeded: low >> 32),
            UInt8(truncatingIfNeeded: low >> 24), UInt8(truncatingIfNeeded: low >> 16)
        ))
    }
}
