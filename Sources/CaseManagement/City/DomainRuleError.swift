/// A command the case rules refuse; nothing is appended.
///
/// ```swift
/// do {
///     try await desk.conclude("ticket-7", outcome: .resolved)
/// } catch let error as DomainRuleError where error.rule == .stepOutOfOrder {
///     print(error.message)
/// }
/// ```
public struct DomainRuleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule that was broken.
    public enum Rule: String, Hashable, Sendable {
        /// A step came before the steps it needs (conclusion before assignment...).
        case stepOutOfOrder
        /// The case does not exist yet.
        case unknownCase
        /// The case already exists.
        case alreadyExists
        /// A ticket concluded twice without being reopened.
        case alreadyConcluded
        /// A rating outside 1 to 5.
        case invalidRating
        /// An escalation that does not go up.
        case escalationNotUpward
        /// A step that applies only to clue tickets (or only to others).
        case wrongKindOfTicket
        /// A risk point that does not exist.
        case unknownRiskPoint
        /// A risk point rectified twice, or found twice.
        case riskPointAlreadyClosed
        /// A risk point in an area the check-up did not examine.
        case areaNotExamined
        /// A report while risk points are open and not waived.
        case openRiskPoints
        /// A step done twice that happens once (report, inspection, delivery...).
        case alreadyDone
        /// A fine that does not agree with its list or the statutory range.
        case fineDisagreesWithList
        /// A decision without facts, legal basis or list item.
        case reasoningMissing
        /// A delivery without all three documents.
        case documentMissing
        /// Input that makes no sense (an empty reason, a negative range...).
        case invalidInput
    }

    /// The rule broken.
    public var rule: Rule
    /// What happened, for people.
    public var message: String

    /// Creates the error.
    public init(_ rule: Rule, _ message: String) {
        self.rule = rule
        self.message = message
    }

    public var description: String { "\(rule.rawValue): \(message)" }
}
