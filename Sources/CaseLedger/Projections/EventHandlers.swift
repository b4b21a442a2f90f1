/// Typed handlers: one closure per event type a projection or an aggregate
/// folds.
///
/// A projection that returns handlers from ``Projection/handlers()`` (or an
/// aggregate from ``AggregateRoot/handlers()``) is folded the fast way: the engine reads stored records in place, decodes
/// only the events some handler wants, straight into their types (no boxing,
/// no casts), and skips the rest without decoding them. Events stored at an
/// older schema version still go through the registry's upcasters first.
///
/// ```swift
/// struct TicketCount: Projection {
///     static let name = "ticket-count"
///     func initialState() -> [String: Int] { [:] }
///     func handlers() -> EventHandlers<[String: Int]> {
///         var h = EventHandlers<[String: Int]>()
///         h.on(TicketFiled.self) { event, context, counts in counts[event.channel, default: 0] += 1 }
///         return h
///     }
/// }
/// ```
public struct EventHandlers<State: Sendable>: Sendable {
    /// A handler: folds one event of type `E` into the state.
    public typealias Handler<E> = @Sendable (E, EventContext, inout State) throws -> Void

    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline let eventType: String
        @usableFromInline let schemaVersion: UInt16
        /// Decodes a payload stored as this type at this schema version
        /// (`binary`: the registry's codec is ``BinaryCodec``) and folds it
        /// into the state the pointer points at.
        @usableFromInline let decodeAndApply: PayloadDecoder
        /// Folds an event decoded elsewhere (after upcasting).
        @usableFromInline let applyDecoded: @Sendable (any DomainEvent, EventContext, inout State) throws -> Void

        @usableFromInline
        init(eventType: String, schemaVersion: UInt16,
             decodeAndApply: @escaping PayloadDecoder,
             applyDecoded: @escaping @Sendable (any DomainEvent, EventContext, inout State) throws -> Void) {
            self.eventType = eventType
            self.schemaVersion = schemaVersion
            self.decodeAndApply = decodeAndApply
            self.applyDecoded = applyDecoded
        }
    }

    @usableFromInline var entries: [Entry] = []
    /// Each entry's decoder, in a list whose element type is not generic:
    /// the fold reaches a decoder without looking up generic type metadata.
    @usableFromInline var decoders: [PayloadDecoder] = []
    @usableFromInline var indexByType: [String: Int] = [:]
    /// Each entry's type name as UTF-8, to match stored records in place.
    @usableFromInline var typeBytes: [[UInt8]] = []
    /// Folds a decoded event that no typed handler takes, with its record:
    /// the ``Projection/apply(_:to:)`` or ``AggregateRoot/apply(_:)`` of a
    /// read model that folds without typed handlers. It receives every event.
    var fallback: (@Sendable (EventEnvelope, inout State) throws -> Void)?

    /// No handlers.
    public init() {}

    /// Whether no handler is registered.
    public var isEmpty: Bool { entries.isEmpty }

    /// The event types handled, sorted.
    public var eventTypes: [String] { indexByType.keys.sorted() }

    @usableFromInline
    mutating func add(_ entry: Entry) {
        if let i = indexByType[entry.eventType] {
            entries[i] = entry
            decoders[i] = entry.decodeAndApply
        } else {
            indexByType[entry.eventType] = entries.count
            entries.append(entry)
            decoders.append(entry.decodeAndApply)
            typeBytes.append(Array(entry.eventType.utf8))
        }
    }

    /// Folds events of type `E` with `body`. A second handler for the same
    /// type replaces the first.
    @inlinable
    public mutating func on<E: DomainEvent>(_ type: E.Type, _ body: @escaping Handler<E>) {
        add(Entry(
            eventType: E.eventType, schemaVersion: E.schemaVersion,
            decodeAndApply: { (payload, _, codec, _, context, state) in
                try body(try codec.decode(E.self, from: Array(payload)), context, &state.assumingMemoryBound(to: State.self).pointee)
            },
            applyDecoded: { (event, context, state) in
                guard let e = event as? E else { throw CodecError("\(Swift.type(of: event)) is not \(E.self)") }
                try body(e, context, &state)
            }
        ))
    }

    /// Folds events of type `E` with `body`, decoding them with their
    /// hand-written binary decoder when the codec is ``BinaryCodec``.
    @inlinable
    public mutating func on<E: DomainEvent & BinaryDecodableEvent>(_ type: E.Type, _ body: @escaping Handler<E>) {
        add(Entry(
            eventType: E.eventType, schemaVersion: E.schemaVersion,
            decodeAndApply: { (payload, binary, codec, personal, context, state) in
                let state = state.assumingMemoryBound(to: State.self)
                if binary {
                    var reader = ByteReader(payload)
                    reader.personal = personal
                    let event = try E(binary: &reader)
                    guard reader.isAtEnd else { throw CodecError("binary decoding of \(E.self) left \(reader.remaining) bytes unread") }
                    try body(event, context, &state.pointee)
                } else {
                    try body(try codec.decode(E.self, from: Array(payload)), context, &state.pointee)
                }
            },
            applyDecoded: { (event, context, state) in
                guard let e = event as? E else { throw CodecError("\(Swift.type(of: event)) is not \(E.self)") }
                try body(e, context, &state)
            }
        ))
    }

    /// Folds an already decoded event with its type's handler; `false` when
    /// no handler takes its type.
    public func apply(_ event: any DomainEvent, context: EventContext, to state: inout State) throws -> Bool {
        guard let i = indexByType[Swift.type(of: event).eventType] else { return false }
        try entries[i].applyDecoded(event, context, &state)
        return true
    }

    /// How records stored as `type` at `schemaVersion` reach these
    /// handlers, or `nil` when they are not folded at all.
    func route(type: String, schemaVersion: UInt16, registry: EventTypeRegistry) -> FoldRoute? {
        if let i = indexByType[type], entries[i].schemaVersion == schemaVersion { return .handler(i) }
        if fallback != nil || indexByType[type] != nil || registry.hasUpcaster(type: type, schemaVersion: schemaVersion) {
            return .decode
        }
        return nil
    }

    /// How a stored record reaches these handlers, read from its bytes
    /// (no string is made for a handled or skipped record).
    func route(_ view: RecordView, registry: EventTypeRegistry) -> FoldRoute? {
        for i in typeBytes.indices where typeBytes[i].withUnsafeBytes({ $0.bytesEqual(view.typeBytes) }) {
            return entries[i].schemaVersion == view.schemaVersion ? .handler(i) : .decode
        }
        if fallback != nil { return .decode }
        if registry.hasUpcasters && registry.hasUpcaster(type: view.typeName, schemaVersion: view.schemaVersion) { return .decode }
        return nil
    }

    /// Folds one stored record into `state`: the one step every fold takes
    /// (projections, inline projections, replays and aggregate loads).
    ///
    /// A record its handler reads at its schema version is decoded in place,
    /// straight into its type; any other record the route takes is decoded
    /// through the registry (running upcasters) and each resulting event goes
    /// to its handler, or to the fallback.
    func fold(_ view: RecordView, route: FoldRoute, context: EventContext, registry: EventTypeRegistry, binary: Bool,
              into state: inout State) throws {
        switch route {
        case .handler(let i):
            try withUnsafeMutablePointer(to: &state) {
                try decoders[i](view.payload, binary, registry.codec, registry.personalData, context, UnsafeMutableRawPointer($0))
            }
        case .decode:
            let record = try view.materialize()
            for event in try registry.decodeAll(record) {
                if let i = indexByType[Swift.type(of: event).eventType] {
                    try entries[i].applyDecoded(event, context, &state)
                } else if let fallback {
                    try fallback(EventEnvelope(event: event, record: record), &state)
                }
            }
        }
    }
}

/// How a kind of stored record (type name and schema version) reaches a
/// fold's handlers.
enum FoldRoute: Sendable, Hashable {
    /// Decoded in place by the typed handler at this index.
    case handler(Int)
    /// Decoded through the registry (running upcasters), then handed to
    /// handlers by type, or to the fallback.
    case decode
}

/// Decodes a stored payload and folds the event into the state at the
/// pointer (bound to the handlers' `State`; valid only during the call).
/// A type that is not generic, so the fold calls it without generic metadata.
/// Its arguments: the payload, whether the codec is ``BinaryCodec``, the
/// codec, what opens sealed personal fields, the context and the state.
public typealias PayloadDecoder = @Sendable (UnsafeRawBufferPointer, Bool, any EventCodec, (any PersonalOpening)?, EventContext, UnsafeMutableRawPointer) throws -> Void
