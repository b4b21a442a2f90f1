import CaseManagement

/// The kinds of ticket the year holds, each with its share of the figures.
enum TicketKind: Sendable {
    /// An order on the platform; `completed` orders are concluded (98.37%).
    case platformOrder(completed: Bool)
    /// A dispute; `resolved` ones end resolved or mediated (96.75%).
    case dispute(Channel, resolved: Bool)
    /// A hardship or suggestion at a one-stop desk.
    case deskRequest
    /// A problem clue from the evaluation app.
    case clue(TicketCategory)
}
