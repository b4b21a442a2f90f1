import Foundation

/// Guards schema evolution: the fingerprint of every event form ever stored
/// is recorded in a checked-in list, and a changed form must come with a new
/// schema version and an upcaster from the old one.
///
/// ```swift
/// let problems = SchemaHistory.problems(current: CaseEvents.fingerprints,
///                                       recorded: lines, registry: registry, listName: "EventFingerprints.txt")
/// #expect(problems.isEmpty, Comment(rawValue: problems.joined(separator: "\n")))
/// ```
public enum SchemaHistory {
    /// "TicketFiled v1" of "TicketFiled v1 {…}".
    static func key(_ fingerprint: String) -> String {
        fingerprint.firstRange(of: " {").map { String(fingerprint[..<$0.lowerBound]) } ?? fingerprint
    }

    /// What is wrong with the current event forms against the recorded ones,
    /// each a sentence saying what to do; empty when nothing is.
    ///
    /// - Parameters:
    ///   - current: the fingerprints of the event types the code defines now.
    ///   - recorded: the lines of the checked-in list (blank lines and `#`
    ///     comments ignored).
    ///   - registry: where upcasters from older forms are registered.
    ///   - listName: the list's file name, for the sentences.
    public static func problems(current: [String], recorded: [String], registry: EventTypeRegistry, listName: String) -> [String] {
        let recordedLines = recorded.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        var recordedByKey: [String: String] = [:]
        for line in recordedLines { recordedByKey[key(line)] = line }
        let currentByKey = Dictionary(current.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        var problems: [String] = []
        for (k, fingerprint) in currentByKey.sorted(by: { $0.key < $1.key }) {
            if let old = recordedByKey[k] {
                if old != fingerprint {
                    let (type, version) = split(k)
                    problems.append("""
                    \(k) changed without a new schema version.
                      recorded: \(old)
                      now:      \(fingerprint)
                    Stored events keep the form they were written in. Raise \(type)'s version to \(version + 1) in its .events \
                    file, keep the old form (as a legacy event) with an upcaster from version \(version) \
                    (EventTypeRegistry.registerUpcaster(from:)), and add the new fingerprint to \(listName).
                    """)
                }
            } else {
                problems.append("\(k) is not recorded in \(listName). Once its events are stored its form is fixed: add this line to \(listName):\n  \(fingerprint)")
            }
        }
        for (k, _) in recordedByKey.sorted(by: { $0.key < $1.key }) where currentByKey[k] == nil {
            let (type, version) = split(k)
            if !registry.hasUpcaster(type: type, schemaVersion: UInt16(clamping: version)) {
                problems.append("\(k) is recorded in \(listName) but no longer defined, and no upcaster reads it: stored \(type) events of version \(version) would not decode. Keep the old form as a legacy event and register an upcaster from it.")
            }
        }
        return problems
    }

    private static func split(_ key: String) -> (String, Int) {
        let parts = key.split(separator: " ")
        let version = parts.last.flatMap { Int($0.dropFirst()) } ?? 1
        return (parts.dropLast().joined(separator: " "), version)
    }
}
