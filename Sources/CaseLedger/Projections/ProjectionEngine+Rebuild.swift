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
    ///   - progress: called after each window.
    /// - Returns: the rebuilt projections' digests.
    @discardableResult
    public func rebuild(_ names: [String]? = nil, progress: (@Sendable (RebuildProgress) -> Void)? = nil) async throws -> [String: String] {
        var fresh: [any FoldSlot] = try await exclusively {
            try (names ?? slots.map(\.name)).map { name in
                guard let live = slots.first(where: { $0.name == name }) else { throw ProjectionError(projection: name, message: "not registered") }
                return live.fresh()
            }
        }
        for i in fresh.indices {
            let slot = Self.rebuildSlot(of: fresh[i].name)
            guard let saved = try await store.loadProjection(slot: slot, tables: fresh[i].tableNames) else { continue }
            do throws(CodecError) {
                try fresh[i].load(saved, from: slot)
            } catch {
                fresh[i] = fresh[i].fresh()
            }
        }
        let meter = ProgressMeter(start: fresh.map(\.checkpoint).min() ?? 0)
        var sinceSave = 0
        let store = self.store
        let saveEvery = options.saveEvery
        while true {
            try await FoldRunner.run(store: store, registry: registry, slots: &fresh, pageSize: options.pageSize) { read, low, folded in
                sinceSave += read
                if sinceSave >= saveEvery {
                    sinceSave = 0
                    try await Self.write(&folded, to: store, rebuilding: true, logger: logger)
                }
                if let progress { progress(meter.report(low: low, head: try await store.headPosition())) }
            }
            // Switch over when the new generation is not behind the live one;
            // the live states stay untouched while this runs.
            let switched: [String: String]? = try await exclusively {
                let lagging = fresh.contains { f in (slots.first { $0.name == f.name }?.checkpoint ?? 0) > f.checkpoint }
                guard !lagging else { return nil }
                var writes: [ReadModelWrite] = []
                var digests: [String: String] = [:]
                for (f, bytes) in zip(fresh, try await Self.encodeSideBySide(fresh)) {
                    digests[f.name] = ProjectionDigest.of(encoded: bytes)
                    // A state without tables is saved as the bytes just digested.
                    if f.tableNames.isEmpty {
                        writes.append(.saveProjection(slot: f.name, StoredProjection(checkpoint: f.checkpoint, state: bytes)))
                    } else {
                        writes += try f.saveWrites(as: f.name)
                    }
                    writes.append(.deleteProjection(slot: Self.rebuildSlot(of: f.name)))
                }
                try await store.writeReadModels(writes)
                for var f in fresh {
                    f.markSaved(as: f.name)
                    if let i = slots.firstIndex(where: { $0.name == f.name }) { slots[i] = f }
                }
                fresh = []
                return digests
            }
            if let switched {
                // The final report says done: appends that arrived meanwhile are the live engine's.
                if let progress {
                    let low = try await position
                    progress(meter.report(low: low, head: low))
                }
                return switched
            }
            await Task.yield()
        }
    }

    /// Encodes the slots' states side by side (nothing mutates them meanwhile).
    static func encodeSideBySide(_ slots: [any FoldSlot]) async throws -> [[UInt8]] {
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

/// Rates and time left for progress reports, measured from a start.
struct ProgressMeter: Sendable {
    let start: UInt64
    let started = ContinuousClock.now

    /// A report at `low` out of `head`.
    func report(low: UInt64, head: UInt64) -> RebuildProgress {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let done = low > start ? low - start : 0
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let left = head > low && rate > 0 ? Double(head - low) / rate : 0
        return RebuildProgress(eventsDone: low, eventsTotal: head, eventsPerSecond: rate, secondsRemaining: left)
    }
}
