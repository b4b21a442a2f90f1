/// A case's next command in the simulation's queue, ordered by time, then by
/// the order it was queued (so the order never depends on hashing).
struct PendingStep: Comparable {
    let time: Int64
    let sequence: UInt64
    let simCase: SimCase

    static func < (lhs: PendingStep, rhs: PendingStep) -> Bool {
        lhs.time != rhs.time ? lhs.time < rhs.time : lhs.sequence < rhs.sequence
    }

    static func == (lhs: PendingStep, rhs: PendingStep) -> Bool {
        lhs.time == rhs.time && lhs.sequence == rhs.sequence
    }
}
