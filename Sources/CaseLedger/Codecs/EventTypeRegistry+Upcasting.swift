extension EventTypeRegistry {
    /// The longest chain of upcasters one stored event may go through.
    static let maximumUpcastSteps = 32

    /// Registers an upcaster on payload bytes.
    public mutating func register(_ upcaster: Upcaster) {
        upcasters[UpcastKey(type: upcaster.fromType, version: upcaster.fromVersion)] = upcaster
    }

    /// Whether any upcaster is registered.
    public var hasUpcasters: Bool { !upcasters.isEmpty }

    /// Whether an upcaster reads events stored as `type` at `schemaVersion`.
    public func hasUpcaster(type: String, schemaVersion: UInt16) -> Bool {
        upcasters[UpcastKey(type: type, version: schemaVersion)] != nil
    }

    /// Registers a typed upcaster: stored events of `Old` (its
    /// ``DomainEvent/eventType`` and ``DomainEvent/schemaVersion`` name the
    /// stored form) become the events `transform` returns.
    ///
    /// ```swift
    /// // Version 1 stored a single "name"; version 2 splits it.
    /// registry.registerUpcaster(from: CitizenRegisteredV1.self) { old in
    ///     [CitizenRegistered(givenName: old.name, familyName: "")]
    /// }
    /// // A type renamed and split into two events:
    /// registry.registerUpcaster(from: CaseClosedV1.self) { old in
    ///     [CaseConcluded(outcome: old.outcome), CaseArchived(at: old.at)]
    /// }
    /// ```
    public mutating func registerUpcaster<Old: DomainEvent>(from old: Old.Type, _ transform: @escaping @Sendable (Old) throws -> [any DomainEvent]) {
        register(Upcaster(fromType: Old.eventType, fromVersion: Old.schemaVersion) { (stored, codec) throws(CodecError) in
            let value = try codec.decode(Old.self, from: stored.payload)
            let newer: [any DomainEvent]
            do {
                newer = try transform(value)
            } catch let error as CodecError {
                throw error
            } catch {
                throw CodecError("upcasting \(Old.eventType) v\(Old.schemaVersion) failed: \(error)")
            }
            var out: [StoredPayload] = []
            for event in newer {
                out.append(StoredPayload(type: Swift.type(of: event).eventType, schemaVersion: Swift.type(of: event).schemaVersion, payload: try codec.encode(event)))
            }
            return out
        })
    }

    /// Decodes a recorded event into current types, running upcasters: one
    /// stored event may become several (a split) or another type (a rename).
    public func decodeAll(_ recorded: RecordedEvent) throws(CodecError) -> [any DomainEvent] {
        if let entry = entries[recorded.type], entry.schemaVersion == recorded.schemaVersion {
            return [try entry.decode(codec, recorded.payload, personalData)]
        }
        var pending = [StoredPayload(type: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload)]
        var out: [any DomainEvent] = []
        var steps = 0
        while !pending.isEmpty {
            let next = pending.removeFirst()
            if let entry = entries[next.type], entry.schemaVersion == next.schemaVersion {
                out.append(try entry.decode(codec, next.payload, personalData))
                continue
            }
            guard let upcaster = upcasters[UpcastKey(type: next.type, version: next.schemaVersion)] else {
                guard let entry = entries[next.type] else {
                    throw CodecError("unknown event type '\(next.type)' (schema version \(next.schemaVersion)) at position \(recorded.position)")
                }
                throw CodecError("event type '\(next.type)' is stored at schema version \(next.schemaVersion) but the code reads version \(entry.schemaVersion), and no upcaster is registered")
            }
            steps += 1
            guard steps <= Self.maximumUpcastSteps else {
                throw CodecError("upcasting the event at position \(recorded.position) did not reach a current type in \(Self.maximumUpcastSteps) steps")
            }
            pending.insert(contentsOf: try upcaster.transform(next, codec), at: 0)
        }
        return out
    }
}
