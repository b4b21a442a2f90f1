/// A saved read model checked against the log: its state and rows, as saved,
/// against a replay of the log up to its saved checkpoint.
public struct ReadModelCheck: Sendable, Hashable {
    /// The projection's name.
    public var name: String
    /// The saved checkpoint, or `nil` when nothing is saved (nothing to check).
    public var savedCheckpoint: UInt64?
    /// The digest of the saved state with its rows, or `nil` when nothing is
    /// saved or it does not decode.
    public var savedDigest: String?
    /// The digest of a replay of the log up to the saved checkpoint.
    public var replayedDigest: String?
    /// Why the saved state could not be read, when it could not.
    public var problem: String?

    /// Whether the saved read model is what the log gives (or nothing is saved).
    public var agrees: Bool { savedCheckpoint == nil || (problem == nil && savedDigest == replayedDigest) }
}

extension ProjectionReplayer {
    /// Checks each projection's saved state and table rows against a replay
    /// of the log up to the saved checkpoint, and its secondary-key entries
    /// and table layout against the saved state: what covers read models,
    /// which the hash chain does not. Reads only.
    ///
    /// ```swift
    /// let checks = try await ProjectionReplayer(store: store, registry: registry)
    ///     .checkSaved(CityProjections.all, in: store)
    /// for c in checks where !c.agrees { print("\(c.name) does not match the log") }
    /// ```
    public func checkSaved(_ projections: [any Projection], in store: any ReadModelStore) async throws -> [ReadModelCheck] {
        var checks: [ReadModelCheck] = []
        for projection in projections {
            var check = try await savedDigest(projection, in: store)
            if let checkpoint = check.savedCheckpoint {
                let replay = try await replay([projection], asOf: .position(checkpoint))
                if replay.position != checkpoint {
                    check.problem = check.problem ?? "saved at \(checkpoint), beyond the log's head \(replay.position)"
                }
                check.replayedDigest = replay.digests[check.name]
            }
            checks.append(check)
        }
        return checks
    }

    private func savedDigest<P: Projection>(_ projection: P, in store: any ReadModelStore) async throws -> ReadModelCheck {
        var slot = ProjectionSlot(projection)
        var check = ReadModelCheck(name: P.name)
        // Every stored table a reader relies on: the tables, their secondary
        // keys and the layout, read in one snapshot.
        let secondary = slot.tables.flatMap { table in table.secondaryKeys.map { ReadModelTableKey<P.State>.secondaryTable(table.name, $0) } }
        guard let stored = try await store.loadProjection(slot: P.name, tables: slot.tableNames + secondary) else { return check }
        check.savedCheckpoint = stored.checkpoint
        do {
            try slot.load(stored, from: P.name)
            check.savedDigest = ProjectionDigest.of(encoded: try slot.encodeState())
            // The secondary-key entries and the layout are not in the digest:
            // they must be what a whole save of this state writes.
            slot.forgetSaved()
            for case .saveRows(_, let table, let rows, _) in try slot.saveWrites(as: P.name) where (stored.rows[table] ?? []) != rows {
                check.problem = "the stored table \(table) is not what the saved state gives (\(stored.rows[table]?.count ?? 0) rows stored, \(rows.count) expected)"
                break
            }
        } catch {
            check.problem = "the saved state or a row does not decode (\(error))"
        }
        return check
    }
}
