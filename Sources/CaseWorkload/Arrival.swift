/// A case or rating entering the simulated year.
struct Arrival: Comparable {
    enum Kind {
        case rating(Int)
        case ticket(Int, TicketKind)
        case checkup(Int, points: Int, report: Bool, training: Bool)
        case enforcement(Int, list: Int, delivered: Bool)
    }

    let time: Int64
    let sequence: Int
    let kind: Kind

    static func < (lhs: Arrival, rhs: Arrival) -> Bool {
        lhs.time != rhs.time ? lhs.time < rhs.time : lhs.sequence < rhs.sequence
    }

    static func == (lhs: Arrival, rhs: Arrival) -> Bool {
        lhs.time == rhs.time && lhs.sequence == rhs.sequence
    }
}
