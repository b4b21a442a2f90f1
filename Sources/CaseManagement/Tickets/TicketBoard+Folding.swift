import CaseLedger

extension TicketBoard {
    /// Moves the board's clock to the event's time; returns the event's time (µs).
    @discardableResult
    mutating func advance(to context: EventContext) -> Int64 {
        let now = context.recordedAt.microsecondsSince1970
        if now > asOf { asOf = now }
        return now
    }

    /// Moves an open ticket to `step` (counting the hours spent in the step
    /// it leaves) and applies `change`; closed tickets are left alone.
    mutating func move(_ id: String, to step: TicketStep, at now: Int64, _ change: (inout TicketRecord) -> Void = { _ in }) {
        guard var record = open[id] else { return }
        if step != record.step {
            let hours = max(0, now - record.stepEnteredAt) / 3_600_000_000
            stepHours[record.step, default: [:]][hours, default: 0] += 1
            record.step = step
            record.stepEnteredAt = now
        }
        change(&record)
        open[id] = record
    }
}
