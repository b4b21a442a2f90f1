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
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = f.date(from: text) {
            self.init(date)
            return
        }
        f.formatOptions = [.withInternetDateTime]
        if let date = f.date(from: text) {
            self.init(date)
            return
        }
        return nil
    }

    public var description: String { iso8601 }

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
