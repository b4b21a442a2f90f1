/// A projection's live state and checkpoint, with its type erased so the
/// engine can hold projections of different states side by side.
class AnyProjectionSlot: @unchecked Sendable {
    /// The projection's name.
    var name: String { fatalError("abstract") }
    /// The events it reads.
    var filter: EventFilter { fatalError("abstract") }
    /// The position of the last event folded in.
    var checkpoint: UInt64 = 0

    /// Folds an event in (the caller checks position and filter).
    func apply(_ envelope: EventEnvelope) throws { fatalError("abstract") }
    /// The typed handlers' event types and schema versions, in handler
    /// order; `nil` when the projection folds through `apply(_:to:)`.
    var handledTypes: [(type: String, schemaVersion: UInt16)]? { fatalError("abstract") }
    /// Decodes a payload with a typed handler and folds it: one per
    /// handler, in handler order (payload, binary codec?, codec, context).
    typealias Applier = (UnsafeRawBufferPointer, Bool, any EventCodec, EventContext) throws -> Void
    var appliers: [Applier] = []
    /// The canonical encoding of the state.
    func encodeState() throws(CodecError) -> [UInt8] { fatalError("abstract") }
    /// Replaces the state with a stored one.
    func load(_ stored: StoredProjection) throws(CodecError) { fatalError("abstract") }
    /// A new slot of the same projection at its initial state.
    func fresh() -> AnyProjectionSlot { fatalError("abstract") }
    /// A copy sharing nothing mutable with this slot.
    func copy() -> AnyProjectionSlot { fatalError("abstract") }
    /// The state, type-erased.
    var anyState: any Sendable { fatalError("abstract") }
}
