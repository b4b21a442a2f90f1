import Foundation

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
        let scanner = ProjectionScanner(slots: slots, registry: registry, notAfter: notAfter)
        do {
            for record in records { try scanner.fold(record: record) }
        } catch {
            throw error as? ProjectionError ?? ProjectionError(projection: slots.map(\.name).joined(separator: ","), message: "\(error)")
        }
        if let last = records.last { scanner.finish(through: last.position) }
        return scanner.applied
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
        if let scanning = store as? any StoredRecordScanning {
            return try await runInPlace(store: store, scanning: scanning, registry: registry, slots: slots, upTo: target,
                                        notAfter: notAfter, pageSize: pageSize, onPage: onPage)
        }
        let scanner = ProjectionScanner(slots: slots, registry: registry, notAfter: notAfter)
        while true {
            let head = try await store.headPosition()
            let goal = min(target ?? head, head)
            let low = slots.map(\.checkpoint).min()!
            if low >= goal { return low }
            let filter = unionFilter(slots.filter { $0.checkpoint < goal })
            let page = try await store.readAll(from: low + 1, filter: filter, limit: pageSize)
            var within = 0
            for record in page where record.position <= goal {
                try scanner.fold(record: record)
                within += 1
            }
            // A short page, or one past the goal, has read every matching event up to it.
            let complete = page.count < pageSize || (page.last?.position ?? 0) >= goal
            scanner.finish(through: complete ? goal : scanner.lastPosition)
            try await onPage(within, slots.map(\.checkpoint).min()!)
        }
    }

    /// The fast path: windows of `pageSize` positions folded straight from
    /// the store's pages. With more than one processor the slots are split
    /// into groups that fold the same window side by side, each reading the
    /// log itself (each slot belongs to one group, so no state is shared);
    /// every group finishes a window before `onPage` runs.
    static func runInPlace(
        store: any EventStore,
        scanning: any StoredRecordScanning,
        registry: EventTypeRegistry,
        slots: [AnyProjectionSlot],
        upTo target: UInt64?,
        notAfter: Timestamp?,
        pageSize: Int,
        isolation: isolated (any Actor)? = #isolation,
        onPage: (Int, UInt64) async throws -> Void
    ) async throws -> UInt64 {
        let groupCount = max(1, min(slots.count, ProcessInfo.processInfo.activeProcessorCount))
        var groups = [[AnyProjectionSlot]](repeating: [], count: groupCount)
        for (i, slot) in slots.enumerated() { groups[i % groupCount].append(slot) }
        let scanners = groups.map { ProjectionScanner(slots: $0, registry: registry, notAfter: notAfter) }
        while true {
            let head = try await store.headPosition()
            let goal = min(target ?? head, head)
            let low = slots.map(\.checkpoint).min()!
            if low >= goal { return low }
            let end = min(goal, low + UInt64(max(1, pageSize)))
            var count = 0
            if scanners.count == 1 {
                count = try scanners[0].scan(scanning, through: end)
            } else {
                count = try await withThrowingTaskGroup(of: Int.self, returning: Int.self) { group in
                    for scanner in scanners {
                        group.addTask { try scanner.scan(scanning, through: end) }
                    }
                    return try await group.reduce(0, +)
                }
            }
            try await onPage(count, slots.map(\.checkpoint).min()!)
        }
    }
}
