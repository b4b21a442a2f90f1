import Foundation

/// The one fold of stored records into projection slots, shared by the
/// engine's catch-up, a rebuild, a point-in-time replay and inline
/// projections.
///
/// Each record is routed by its type and schema version (the route is
/// worked out once per kind of record and cached): a typed handler decodes
/// the payload in place, straight into its type; a read model that folds
/// envelopes, or a record that must be upcast, gets it decoded through the
/// registry; records no slot wants are passed over after their header.
///
/// A slot takes an event only when its checkpoint is below the event's
/// position, and its checkpoint moves to the event's position as soon as it
/// has folded it; ``finish(through:)`` moves every checkpoint to the end of
/// what was read. So folding a page twice never applies an event twice.
struct Fold {
    /// One slot's interest in one kind of record.
    struct Target: Sendable {
        let slot: Int
        let route: FoldRoute
    }

    /// The slots, owned by the fold while it runs.
    var slots: [any FoldSlot]
    private let categories: [[[UInt8]]?]
    private let registry: EventTypeRegistry
    private let binary: Bool
    private let notAfter: Timestamp?
    private var routes = RouteTable()
    /// The last kind of record seen and its route: most records follow one
    /// of their own kind, so this spares the table's hashing.
    private var lastRoute: (type: [UInt8], schemaVersion: UInt16, route: Int)?
    /// Whether any slot reads only some categories.
    private let filtersCategories: Bool
    /// Events folded into at least one slot.
    private(set) var applied = 0
    /// The position of the last record seen.
    private(set) var lastPosition: UInt64 = 0
    /// The position of the last record recorded at or before `notAfter`
    /// (every record seen, without it): where a replay as of a time stands.
    private(set) var lastIncluded: UInt64 = 0

    init(slots: [any FoldSlot], registry: EventTypeRegistry, notAfter: Timestamp? = nil) {
        self.categories = slots.map { slot in slot.filter.categories.map { $0.sorted().map { Array($0.utf8) } } }
        self.filtersCategories = categories.contains { $0 != nil }
        self.slots = slots
        self.registry = registry
        self.binary = registry.codec is BinaryCodec
        self.notAfter = notAfter
    }

    /// The lowest checkpoint of the slots (`nil` without slots).
    var lowestCheckpoint: UInt64? {
        var low: UInt64?
        for i in slots.indices { low = min(low ?? .max, slots[i].checkpoint) }
        return low
    }

    /// Folds one record into every slot that takes it.
    ///
    /// - Throws: ``ProjectionError`` naming the slot and position when a
    ///   handler fails; every slot then stands just before that record.
    mutating func visit(_ view: RecordView) throws {
        let position = view.position
        lastPosition = position
        if let notAfter, view.recordedAt > notAfter { return }
        lastIncluded = position
        let route: Int
        if let last = lastRoute, last.schemaVersion == view.schemaVersion, last.type.withUnsafeBytes({ $0.bytesEqual(view.typeBytes) }) {
            route = last.route
        } else {
            if let known = routes.find(type: view.typeBytes, schemaVersion: view.schemaVersion) {
                route = known
            } else {
                let targets = targets(type: view.typeName, schemaVersion: view.schemaVersion)
                route = routes.insert(type: view.typeBytes, schemaVersion: view.schemaVersion, targets: targets)
            }
            lastRoute = (Array(view.typeBytes), view.schemaVersion, route)
        }
        let targets = routes.targets[route]
        if targets.isEmpty { return }
        var folded = false
        let context = EventContext(position: position, streamVersion: view.streamVersion, recordedAt: view.recordedAt)
        let category = filtersCategories ? view.categoryBytes : UnsafeRawBufferPointer(start: nil, count: 0)
        for target in targets {
            guard slots[target.slot].checkpoint < position, matches(target.slot, category: category) else { continue }
            do {
                try slots[target.slot].fold(view, route: target.route, context: context, registry: registry, binary: binary)
            } catch {
                // Everything before this event is folded; every slot stops here.
                finish(through: position - 1)
                throw ProjectionError(projection: slots[target.slot].name, position: position, message: Self.message(error))
            }
            slots[target.slot].checkpoint = position
            folded = true
        }
        if folded { applied += 1 }
    }

    /// Moves every checkpoint below `position` up to it: every record up to
    /// there has been seen.
    mutating func finish(through position: UInt64) {
        for i in slots.indices where slots[i].checkpoint < position { slots[i].checkpoint = position }
    }

    /// Reads and folds every record after the lowest checkpoint through
    /// `end` from the store, then moves every checkpoint to `end`.
    ///
    /// - Returns: how many records were read.
    @discardableResult
    nonisolated(nonsending) mutating func scan(_ store: any EventStore, through end: UInt64) async throws -> Int {
        var low = UInt64.max
        var categories = Set<String>()
        var everyCategory = false
        for i in slots.indices where slots[i].checkpoint < end {
            low = min(low, slots[i].checkpoint)
            if let c = slots[i].filter.categories { categories.formUnion(c) } else { everyCategory = true }
        }
        guard low < end else { return 0 }
        // One category's index when every slot behind reads that category;
        // otherwise the whole log in order, each slot filtering.
        let category = !everyCategory && categories.count == 1 ? categories.first : nil
        var count = 0
        try await store.scanRecords(from: low + 1, through: end, category: category) { view in
            try visit(view)
            count += 1
            return true
        }
        finish(through: end)
        return count
    }

    private static func message(_ error: any Error) -> String {
        switch error {
        case let e as ProjectionError: return e.message
        case let e as CodecError: return e.message
        case let e as RecordFormatError: return e.message
        default: return "\(error)"
        }
    }

    private func matches(_ slot: Int, category: UnsafeRawBufferPointer) -> Bool {
        guard let wanted = categories[slot] else { return true }
        for c in wanted where c.withUnsafeBytes({ $0.bytesEqual(category) }) { return true }
        return false
    }

    /// Which slots take records of a type at a schema version, and how.
    private func targets(type: String, schemaVersion: UInt16) -> [Target] {
        slots.indices.compactMap { i in
            slots[i].route(type: type, schemaVersion: schemaVersion, registry: registry).map { Target(slot: i, route: $0) }
        }
    }
}

/// Runs folds window by window over a store, the slots split into groups
/// that fold side by side when there is more than one processor.
enum FoldRunner {
    /// Windows smaller than this fold in one group: starting tasks would
    /// cost more than they save.
    static let parallelThreshold: UInt64 = 1_024

    /// Folds the slots over the next window: the records after their lowest
    /// checkpoint, at most `pageSize` positions, through `goal`.
    ///
    /// The slots are moved into the fold (or into one fold per group, each in
    /// its own task, each slot in one group) and moved back before this
    /// returns or throws, so the caller keeps every state either way.
    ///
    /// - Returns: how many records were read (0 when every slot is at
    ///   `goal`) and the last position recorded at or before `notAfter`.
    nonisolated(nonsending) static func window(
        store: any EventStore, registry: EventTypeRegistry, slots: inout [any FoldSlot],
        through goal: UInt64, notAfter: Timestamp? = nil, pageSize: Int
    ) async throws -> (read: Int, lastIncluded: UInt64) {
        guard let low = slots.map(\.checkpoint).min(), low < goal else { return (0, 0) }
        let end = min(goal, low &+ UInt64(max(1, pageSize)))
        let groupCount = min(slots.count, ProcessInfo.processInfo.activeProcessorCount)
        if groupCount <= 1 || end - low < parallelThreshold {
            var fold = Fold(slots: slots, registry: registry, notAfter: notAfter)
            slots = []
            defer { slots = fold.slots }
            let read = try await fold.scan(store, through: end)
            return (read, fold.lastIncluded)
        }
        // Move each slot into its group. A fold must hold the only reference
        // to its slots (or its first change would copy every state), so each
        // task takes its group out of a locked hand-over box.
        var groups = [[any FoldSlot]](repeating: [], count: groupCount)
        var owners = [[Int]](repeating: [], count: groupCount)
        for (i, slot) in slots.enumerated() {
            groups[i % groupCount].append(slot)
            owners[i % groupCount].append(i)
        }
        let count = slots.count
        slots = []
        let handOver = Locked(groups)
        groups = []
        let results = await withTaskGroup(of: (Int, [any FoldSlot], Result<(Int, UInt64), any Error>).self) { tasks in
            for g in 0..<groupCount {
                tasks.addTask {
                    let group = handOver.withLock { groups in
                        defer { groups[g] = [] }
                        return groups[g]
                    }
                    var fold = Fold(slots: consume group, registry: registry, notAfter: notAfter)
                    do {
                        let read = try await fold.scan(store, through: end)
                        return (g, fold.slots, .success((read, fold.lastIncluded)))
                    } catch {
                        return (g, fold.slots, .failure(error))
                    }
                }
            }
            var out: [(Int, [any FoldSlot], Result<(Int, UInt64), any Error>)] = []
            for await result in tasks { out.append(result) }
            return out
        }
        var back = [(any FoldSlot)?](repeating: nil, count: count)
        var read = 0
        var lastIncluded: UInt64 = 0
        var failure: (any Error)?
        for (g, folded, result) in results {
            for (slot, i) in zip(folded, owners[g]) { back[i] = slot }
            switch result {
            case .success(let (n, included)):
                read = max(read, n)
                lastIncluded = max(lastIncluded, included)
            case .failure(let error): failure = failure ?? error
            }
        }
        slots = back.compactMap { $0 }
        if let failure { throw failure }
        return (read, lastIncluded)
    }

    /// Folds window after window until every slot reaches `target` (or the
    /// head as read before each window, when `target` is `nil`), or, with
    /// `stopsWhenCancelled`, until the task is cancelled.
    ///
    /// - Parameter onWindow: called after each window with the records read,
    ///   the lowest checkpoint and the slots (to save them; keep no copy).
    /// - Returns: the lowest checkpoint reached, and the last position
    ///   recorded at or before `notAfter`.
    @discardableResult
    nonisolated(nonsending) static func run(
        store: any EventStore, registry: EventTypeRegistry, slots: inout [any FoldSlot],
        upTo target: UInt64? = nil, notAfter: Timestamp? = nil, pageSize: Int, stopsWhenCancelled: Bool = false,
        onWindow: (Int, _ low: UInt64, inout [any FoldSlot]) async throws -> Void = { _, _, _ in }
    ) async throws -> (low: UInt64, lastIncluded: UInt64) {
        var lastIncluded: UInt64 = 0
        while true {
            // Cancelled, and the caller can use a partial fold (a catch-up,
            // whose checkpoints say how far it got): stop between windows.
            if stopsWhenCancelled && Task.isCancelled { return (slots.map(\.checkpoint).min() ?? 0, lastIncluded) }
            let head = try await store.headPosition()
            let goal = min(target ?? head, head)
            let from = slots.map(\.checkpoint).min() ?? goal
            // A span per window that folds something (not the last look at the head).
            let (read, included) = try await withOptionalSpan(from < goal ? store.tracer : nil, "caseledger.projection.fold", attributes: {
                $0["caseledger.from"] = Int(truncatingIfNeeded: from)
                $0["caseledger.projections"] = slots.count
            }) { () async throws -> (read: Int, lastIncluded: UInt64) in
                try await window(store: store, registry: registry, slots: &slots, through: goal, notAfter: notAfter, pageSize: pageSize)
            }
            lastIncluded = max(lastIncluded, included)
            let low = slots.map(\.checkpoint).min() ?? goal
            if read == 0 && low >= goal { return (low, lastIncluded) }
            try await onWindow(read, low, &slots)
        }
    }
}
