/// An enum ordered by the order its cases are declared in (levels, steps,
/// severities…).
///
/// ```swift
/// enum Level: String, CaseIterable, DeclarationOrdered { case group, village, town }
/// Level.group < Level.town // true
/// ```
public protocol DeclarationOrdered: CaseIterable, Comparable {}

extension DeclarationOrdered {
    /// The case's place in declaration order.
    var rank: Int {
        var i = 0
        for value in Self.allCases {
            if value == self { return i }
            i += 1
        }
        return i
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    /// The next case in declaration order; the last case's next is itself.
    public var next: Self {
        var found = false
        for value in Self.allCases {
            if found { return value }
            found = value == self
        }
        return self
    }
}
