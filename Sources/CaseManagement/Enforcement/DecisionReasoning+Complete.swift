import Foundation

extension DecisionReasoning {
    /// Whether every part is given.
    public var isComplete: Bool {
        !facts.trimmingCharacters(in: .whitespaces).isEmpty
            && !legalBasis.trimmingCharacters(in: .whitespaces).isEmpty
            && !listItem.trimmingCharacters(in: .whitespaces).isEmpty
    }
}
