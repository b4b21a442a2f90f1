import Foundation

/// A point in time with microsecond precision, as stored with every event.
///
/// Stored times are whole microseconds since 1970-01-01T00:00:00Z so that the
/// same event always encodes to the same bytes.
///
/// ```swift
/// let t = Timestamp(Date())
/// print(t.iso8601) // "2025-03-01T08:30:00.123456Z"
/// ```
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since the Unix epoch.
    public var microsecondsSince1970: Int64

    /// Creates a timestamp from microseconds since the Unix epoch.
    public init(microsecondsSince1970: Int64) {
        self.microsecondsSince1970 = microsecondsSince1970
    }

    /// Creates a timestamp from a `Date`, truncated to whole microseconds.
    public init(_ date: Date) {
        self.microsecondsSince1970 = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// The current time of the system clock.
    public static func now() -> Timestamp { Timestamp(Date()) }

    /// The same instant as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: Double(microsecondsSince1970) / 1_000_000)
    }

    /// The instant in ISO 8601 form with microseconds, in UTC.
    public var iso8601: String {
        let seconds = microsecondsSince1970 >= 0
            ? microsecondsSince1970 / 1_000_000
            : (microsecondsSince1970 - 999_999) / 1_000_000
        let micros = microsecondsSince1970 - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = Timestamp.civilDate(daysSince1970: days)
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(micros, 6))Z"
    }

    /// Parses an ISO 8601 instant such as `2025-03-01T08:30:00Z` or
    /// `2025-03-01T08:30:00.5+08:00`. Returns `nil` when the text is not one.
    public init?(iso8601 text: String) {
        // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM), fraction up to 9 digits.
        let c = Array(text.utf8)
        func digits(_ from: Int, _ n: Int) -> Int64? {
            guard from + n <= c.count else { return nil }
            var v: Int64 = 0
            for i in from..<from + n {
                guard c[i] >= 48 && c[i] <= 57 else { return nil }
                v = v * 10 + Int64(c[i] - 48)
            }
            return v
        }
        guard c.count >= 20,
              let y = digits(0, 4), c[4] == UInt8(ascii: "-"), let mo = digits(5, 2), c[7] == UInt8(ascii: "-"),
              let d = digits(8, 2), c[10] == UInt8(ascii: "T") || c[10] == UInt8(ascii: " "),
              let h = digits(11, 2), c[13] == UInt8(ascii: ":"), let mi = digits(14, 2), c[16] == UInt8(ascii: ":"),
              let se = digits(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, se < 61 else { return nil }
        var i = 19
        var micros: Int64 = 0
        if i < c.count && c[i] == UInt8(ascii: ".") {
            i += 1
            var n = 0
            while i < c.count && c[i] >= 48 && c[i] <= 57 {
                if n < 6 { micros = micros * 10 + Int64(c[i] - 48) }
                n += 1
                i += 1
            }
            guard n >= 1 && n <= 9 else { return nil }
            for _ in min(n, 6)..<6 { micros *= 10 }
        }
        guard i < c.count else { return nil }
        var offset: Int64 = 0
        if c[i] == UInt8(ascii: "Z") {
            i += 1
        } else if c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-") {
            guard let oh = digits(i + 1, 2), i + 3 < c.count, c[i + 3] == UInt8(ascii: ":"), let om = digits(i + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (c[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == c.count else { return nil }
        let seconds = Timestamp.daysSince1970(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60 + se - offset
        self.init(microsecondsSince1970: seconds * 1_000_000 + micros)
    }

    /// Midnight UTC of a calendar date (proleptic Gregorian).
    ///
    /// ```swift
    /// let newYear = Timestamp(year: 2025, month: 1, day: 1)
    /// ```
    public init(year: Int, month: Int, day: Int) {
        self.init(microsecondsSince1970: Timestamp.daysSince1970(year: Int64(year), month: Int64(month), day: Int64(day)) * 86_400_000_000)
    }

    /// Days from 1970-01-01 to a civil date (Howard Hinnant's days-from-civil).
    static func daysSince1970(year y: Int64, month mo: Int64, day d: Int64) -> Int64 {
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (mo + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public var description: String { iso8601 }

    /// The UTC calendar date: year, month (1–12), day (1–31).
    public var calendarDate: (year: Int, month: Int, day: Int) {
        let seconds = microsecondsSince1970 >= 0 ? microsecondsSince1970 / 1_000_000 : (microsecondsSince1970 - 999_999) / 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (y, m, d) = Timestamp.civilDate(daysSince1970: days)
        return (Int(y), Int(m), Int(d))
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSince1970 < rhs.microsecondsSince1970
    }

    /// Converts days since 1970-01-01 to a proleptic Gregorian date
    /// (Howard Hinnant's days-to-civil algorithm).
    static func civilDate(daysSince1970: Int64) -> (Int64, Int64, Int64) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
