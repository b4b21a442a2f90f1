import Foundation

/// Who is calling: a role and, for citizens and officers, whose data and
/// which unit.
///
/// - A citizen files tickets as themself, and reads and rates only their own.
/// - An officer acts only on tickets assigned to their unit or center, on
///   check-ups of their center and on enforcement cases of their department.
/// - An auditor reads everything and runs verification; writes nothing.
/// - An administrator does everything, and alone may rebuild read models.
struct Principal: Codable, Sendable, Hashable {
    enum Role: String, Codable, Sendable, Hashable {
        case citizen
        case officer
        case auditor
        case administrator
    }

    var role: Role
    /// The citizen's id (a ticket's filer id), or the officer's id.
    var id: String
    /// The officer's unit, governance center or department; empty otherwise.
    var unit: String = ""

    var readsEverything: Bool { role == .auditor || role == .administrator }
}

/// Bearer tokens and the principals they stand for, from a JSON file
/// (`{"token": {"role": "officer", "id": "officer-0001", "unit": "unit-001"}}`)
/// or given in code.
struct TokenBook: Sendable {
    var principals: [String: Principal]

    init(_ principals: [String: Principal]) { self.principals = principals }

    /// Reads a token file.
    init(contentsOf path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        principals = try JSONDecoder().decode([String: Principal].self, from: data)
    }

    func principal(for token: String) -> Principal? { principals[token] }

    /// Tokens for a local demo: one of each role (printed at start so the
    /// dashboard and curl can use them). Not for a real deployment: pass
    /// `--tokens FILE`.
    static func demo() -> TokenBook {
        TokenBook([
            "admin-token": Principal(role: .administrator, id: "admin"),
            "auditor-token": Principal(role: .auditor, id: "auditor"),
            "officer-token": Principal(role: .officer, id: "officer-0001", unit: "unit-001"),
            "citizen-token": Principal(role: .citizen, id: "citizen-1"),
        ])
    }
}
