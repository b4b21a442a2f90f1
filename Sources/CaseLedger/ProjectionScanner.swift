import Foundation

/// Folds records into projection slots, routing each by its type and schema
/// version: a typed handler decodes the payload in place; a projection that
/// folds envelopes, or an event that must be upcast, gets the record decoded
/// once and its events through the registry. Records no slot wants are
/// passed over without decoding anything but their header.
///
/// Each slot takes an event only when its checkpoint is below the event's
/// position, and a slot's checkpoint moves to an event's position as soon as
/// it has folded it; ``finish(through:)`` moves every checkpoint to the end
/// of what was read. So folding a page twice never applies an event twice.
///
/// Not thread-safe: one task uses a scanner (and its slots) at a time.
final class ProjectionScanner: @unchecked Sendable {
    /// One slot's interest in one (type, schema version).
    struct Target {
        let slot: Int
        /// The handler's index; -1 to decode through the registry.
        let handler: Int
    }

    private let slots: ContiguousArray<AnyProjectionSlot>
    private let categories: [[[UInt8]]?]
    private let registry: EventTypeRegistry
    private let binary: Bool
    private let codec: any EventCodec
    private let notAfter: Timestamp?
    private var routes = RouteTable()
    /// Events folded into at least one slot.
    private(set) var applied = 0
    /// The position of the last record seen.
    private(set) var lastPosition: UInt64 = 0

    init(slots: [AnyProjectionSlot], registry: EventTypeRegistry, notAfter: Timestamp?) {
        self.slots = ContiguousArray(slots)
        self.categories = slots.map { slot in slot.filter.categories.map { $0.sorted().map { Array($0.utf8) } } }
        self.registry = registry
        self.binary = registry.codec is BinaryCodec
        self.codec = registry.codec
        self.notAfter = notAfter
    }

    /// Folds one stored record.
    func fold(stored: UnsafeRawBufferPointer) throws {
        let view: RecordView
        do throws(RecordFormatError) {
            view = try RecordView(stored: stored)
        } catch {
            // The record's own position is not readable: name the last good one.
            throw ProjectionError(projection: slots.map(\.name).joined(separator: ","), message: "after position \(lastPosition): \(error.message)")
        }
        try fold(view, record: nil)
    }

    /// Folds one decoded record.
    func fold(record: RecordedEvent) throws {
        var stream = record.stream.value
        var type = record.type
        try stream.withUTF8 { s in
            try type.withUTF8 { t in
                try record.payload.withUnsafeBytes { p in
                    let view = RecordView(position: record.position, streamVersion: record.streamVersion, recordedAt: record.recordedAt,
                                          schemaVersion: record.schemaVersion, stream: UnsafeRawBufferPointer(s), type: UnsafeRawBufferPointer(t), payload: p)
                    try fold(view, record: record)
                }
            }
        }
    }

    /// Folds every record after the slots' lowest checkpoint through `end`
    /// from a store's pages; returns how many records were read.
    func scan(_ store: any StoredRecordScanning, through end: UInt64) throws -> Int {
        let behind = slots.filter { $0.checkpoint < end }
        guard let low = behind.map(\.checkpoint).min() else { return 0 }
        let filter = ProjectionFold.unionFilter(behind)
        let count = try store.scanStoredRecords(from: low + 1, through: end, limit: Int.max, category: filter.categories?.first) {
            try fold(stored: $0)
        }
        finish(through: end)
        return count
    }

    /// Moves every checkpoint below `position` up to it: every record up to
    /// there has been seen.
    func finish(through position: UInt64) {
        for slot in slots where slot.checkpoint < position { slot.checkpoint = position }
    }

    private func fold(_ view: RecordView, record known: RecordedEvent?) throws {
        let position = view.position
        lastPosition = position
        if let notAfter, view.recordedAt > notAfter { return }
        let route = routes.find(type: view.type, schemaVersion: view.schemaVersion)
            ?? routes.insert(type: view.type, schemaVersion: view.schemaVersion) { self.targets(type: $0, schemaVersion: $1) }
        let targets = routes.targets[route]
        if targets.isEmpty { return }
        var record = known
        var events: [any DomainEvent]?
        var folded = false
        let context = EventContext(position: position, streamVersion: view.streamVersion, recordedAt: view.recordedAt)
        for target in targets {
            let slot = slots[target.slot]
            guard slot.checkpoint < position, matches(target.slot, category: view.category) else { continue }
            do {
                if target.handler >= 0 {
                    try slot.appliers[target.handler](view.payload, binary, codec, context)
                } else {
                    if record == nil { record = try view.materialize() }
                    if events == nil { events = try registry.decodeAll(record!) }
                    for event in events! { try slot.apply(EventEnvelope(event: event, record: record!)) }
                }
            } catch {
                // Everything before this event is folded; this slot stops here.
                finish(through: position - 1)
                throw ProjectionError(projection: slot.name, position: position, message: Self.message(error))
            }
            slot.checkpoint = position
            folded = true
        }
        if folded { applied += 1 }
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
        for c in wanted where c.count == category.count {
            if c.isEmpty { return true }
            if c.withUnsafeBytes({ memcmp($0.baseAddress!, category.baseAddress!, c.count) }) == 0 { return true }
        }
        return false
    }

    /// Which slots take events of a type at a schema version, and how.
    private func targets(type: String, schemaVersion: UInt16) -> [Target] {
        let direct = registry.schemaVersion(of: type) == schemaVersion
        let upcast = !direct && registry.hasUpcaster(type: type, schemaVersion: schemaVersion)
        var out: [Target] = []
        for (i, slot) in slots.enumerated() {
            if let types = slot.filter.eventTypes, !types.contains(type) { continue }
            if let handled = slot.handledTypes {
                if let j = handled.firstIndex(where: { $0.type == type && $0.schemaVersion == schemaVersion }) {
                    out.append(Target(slot: i, handler: j))
                } else if upcast || handled.contains(where: { $0.type == type }) {
                    out.append(Target(slot: i, handler: -1))
                }
            } else {
                out.append(Target(slot: i, handler: -1))
            }
        }
        return out
    }
}
