import Foundation

extension ProjectionEngine {
    /// The slot a rebuild writes to beside the live one.
    public static func rebuildSlot(of name: String) -> String { name + "@rebuild" }

    /// Rebuilds projections from position 1 into a new generation beside the
    /// live one while appends continue, then switches over atomically.
    ///
    /// Progress is saved to the `NAME@rebuild` slot, so a rebuild that is
    /// killed resumes where it stopped. When the new generation has caught
    /// up with the live one, the engine swaps it in and one transaction
    /// replaces the live slot and deletes the rebuild slot.
    ///
    /// ```swift
    /// let digests = try await engine.rebuild { p in print("\(Int(p.fraction * 100))%") }
    /// ```
    ///
    /// - Parameters:
    ///   - names: the projections to rebuild; all by default.
    ///   - progress: called after each page.
    /// - Returns: the rebuilt projections' digests.
    @discardableResult
    public func rebuild(_ names: [String]? = nil, progress: (@Sendable (RebuildProgress) -> Void)? = nil) async throws -> [String: String] {
        let targets = names ?? self.names
        var fresh: [AnyProjectionSlot] = []
        for name in targets {
            guard let live = slot(named: name) else { throw ProjectionError(projection: name, message: "not registered") }
            let slot = live.fresh()
            if let saved = try await store.loadProjection(slot: Self.rebuildSlot(of: name)) {
                do throws(CodecError) {
                    try slot.load(saved)
                } catch {
                    slot.checkpoint = 0
                }
            }
            fresh.append(slot)
        }
        let started = ContinuousClock.now
        let startPosition = fresh.map(\.checkpoint).min() ?? 0
        var sinceSave = 0
        let pageSize = options.pageSize
        let saveEvery = options.saveEvery
        let store = self.store
        let report: (UInt64, Bool) async throws -> Void = { low, final in
            guard let progress else { return }
            // The final report says done: appends that arrived meanwhile are the live engine's.
            let head = final ? low : try await store.headPosition()
            let elapsed = Double((ContinuousClock.now - started).components.attoseconds) / 1e18 + Double((ContinuousClock.now - started).components.seconds)
            let done = low - startPosition
            let rate = elapsed > 0 ? Double(done) / elapsed : 0
            let left = head > low && rate > 0 ? Double(head - low) / rate : 0
            progress(RebuildProgress(eventsDone: low, eventsTotal: head, eventsPerSecond: rate, secondsRemaining: left))
        }
        let saveFresh: () async throws -> Void = {
            var writes: [ReadModelWrite] = []
            for slot in fresh {
                writes.append(.saveProjection(slot: Self.rebuildSlot(of: slot.name), StoredProjection(checkpoint: slot.checkpoint, state: try slot.encodeState())))
            }
            try await store.writeReadModels(writes)
        }
        while true {
            _ = try await ProjectionFold.run(store: store, registry: registry, slots: fresh, pageSize: pageSize) { count, low in
                sinceSave += count
                if sinceSave >= saveEvery {
                    sinceSave = 0
                    try await saveFresh()
                }
                try await report(low, false)
            }
            // Switch over only when no save is in flight and the new
            // generation is not behind the live one; nothing awaits between
            // this check and the swap.
            let lagging = fresh.contains { f in (slot(named: f.name)?.checkpoint ?? 0) > f.checkpoint }
            if !lagging && !saving {
                for f in fresh {
                    if let i = slots.firstIndex(where: { $0.name == f.name }) { slots[i] = f }
                }
                saving = true
                defer { saving = false }
                var writes: [ReadModelWrite] = []
                var digests: [String: String] = [:]
                for (f, bytes) in zip(fresh, try await Self.encodeSideBySide(fresh)) {
                    digests[f.name] = ProjectionDigest.of(encoded: bytes)
                    writes.append(.saveProjection(slot: f.name, StoredProjection(checkpoint: f.checkpoint, state: bytes)))
                    writes.append(.deleteProjection(slot: Self.rebuildSlot(of: f.name)))
                }
                try await store.writeReadModels(writes)
                try await report(fresh.map(\.checkpoint).min() ?? 0, true)
                return digests
            }
            await Task.yield()
        }
    }

    /// Encodes the slots' states side by side (nothing mutates them meanwhile).
    static func encodeSideBySide(_ slots: [AnyProjectionSlot]) async throws -> [[UInt8]] {
        guard slots.count > 1 else { return try slots.map { try $0.encodeState() } }
        return try await withThrowingTaskGroup(of: (Int, [UInt8]).self, returning: [[UInt8]].self) { group in
            for (i, slot) in slots.enumerated() {
                group.addTask { (i, try slot.encodeState()) }
            }
            var out = [[UInt8]](repeating: [], count: slots.count)
            for try await (i, bytes) in group { out[i] = bytes }
            return out
        }
    }
}
