import Foundation

/// The reasoning every penalty decision carries (说理式执法).
public struct DecisionReasoning: Codable, Sendable, Hashable {
    /// The facts found.
    public var facts: String
    /// The legal basis applied.
    public var legalBasis: String
    /// The list item matched (for example "first minor violation, promptly corrected").
    public var listItem: String

    /// Creates the reasoning.
    public init(facts: String, legalBasis: String, listItem: String) {
        self.facts = facts
        self.legalBasis = legalBasis
        self.listItem = listItem
    }

    /// Whether every part is given.
    public var isComplete: Bool {
        !facts.trimmingCharacters(in: .whitespaces).isEmpty
            && !legalBasis.trimmingCharacters(in: .whitespaces).isEmpty
            && !listItem.trimmingCharacters(in: .whitespaces).isEmpty
    }
}
