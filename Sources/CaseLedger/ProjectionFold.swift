/// The fold every projection path shares: the engine's catch-up, a rebuild,
/// an inline update and a point-in-time replay.
///
/// Each event is decoded once (running upcasters) and applied to every slot
/// whose filter matches and whose checkpoint is below the event's position,
/// so folding a page twice never applies an event twice.
enum ProjectionFold {
    /// The filter for reading the log: one category's index when every slot
    /// reads that one category; otherwise a sequential scan of the whole log,
    /// each slot filtering in memory (cheaper than merging several indexes
    /// and fetching every event by position when most events match).
    static func unionFilter(_ slots: [AnyProjectionSlot]) -> EventFilter {
        var categories = Set<String>()
        for slot in slots {
            guard let c = slot.filter.categories else { return .all }
            categories.formUnion(c)
        }
        return categories.count == 1 ? EventFilter(categories: categories) : .all
    }

    /// Folds records into the slots.
    ///
    /// - Parameters:
    ///   - records: events in position order.
    ///   - slots: the projections.
    ///   - registry: decodes payloads.
    ///   - notAfter: events recorded after this time are passed over (their
    ///     positions still advance the checkpoints).
    /// - Returns: how many events were applied to at least one slot.
    static func apply(_ records: [RecordedEvent], to slots: [AnyProjectionSlot], registry: EventTypeRegistry, notAfter: Timestamp? = nil) throws(ProjectionError) -> Int {
        var applied = 0
        var interested: [AnyProjectionSlot] = []
        interested.reserveCapacity(slots.count)
        for record in records {
            interested.removeAll(keepingCapacity: true)
            let position = record.position
            let inTime = notAfter.map { record.recordedAt <= $0 } ?? true
            if inTime {
                let category = record.stream.category
                for slot in slots where slot.checkpoint < position && slot.filter.matches(category: category, type: record.type) {
                    interested.append(slot)
                }
            }
            if !interested.isEmpty {
                let events: [any DomainEvent]
                do throws(CodecError) {
                    events = try registry.decodeAll(record)
                } catch {
                    throw ProjectionError(projection: interested.map(\.name).joined(separator: ","), position: position, message: error.message)
                }
                for event in events {
                    let envelope = EventEnvelope(event: event, record: record)
                    for slot in interested {
                        do {
                            try slot.apply(envelope)
                        } catch let error as ProjectionError {
                            throw error
                        } catch {
                            throw ProjectionError(projection: slot.name, position: position, message: "\(error)")
                        }
                    }
                }
                applied += 1
            }
            for slot in slots where slot.checkpoint < position { slot.checkpoint = position }
        }
        return applied
    }

    /// Reads and folds until every slot reaches `target` (or the head, when
    /// `target` is nil: the head as it is read before each page).
    ///
    /// - Parameter onPage: called after each page with the number of records
    ///   read and the lowest checkpoint; may save progress.
    /// - Returns: the lowest checkpoint reached.
    static func run(
        store: any EventStore,
        registry: EventTypeRegistry,
        slots: [AnyProjectionSlot],
        upTo target: UInt64? = nil,
        notAfter: Timestamp? = nil,
        pageSize: Int,
        isolation: isolated (any Actor)? = #isolation,
        onPage: (Int, UInt64) async throws -> Void = { _, _ in }
    ) async throws -> UInt64 {
        guard !slots.isEmpty else { return target ?? 0 }
        while true {
            let head = try await store.headPosition()
            let goal = min(target ?? head, head)
            let low = slots.map(\.checkpoint).min()!
            if low >= goal { return low }
            let behind = slots.filter { $0.checkpoint < goal }
            let page = try await store.readAll(from: low + 1, filter: unionFilter(behind), limit: pageSize)
            let within = page.last.map { $0.position <= goal } ?? true ? page : page.filter { $0.position <= goal }
            _ = try apply(within, to: behind, registry: registry, notAfter: notAfter)
            if page.count < pageSize || (page.last?.position ?? 0) >= goal {
                // Every matching event up to `goal` has been read.
                for slot in behind where slot.checkpoint < goal { slot.checkpoint = goal }
            }
            try await onPage(within.count, slots.map(\.checkpoint).min()!)
        }
    }
}
