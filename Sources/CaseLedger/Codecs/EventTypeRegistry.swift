import Foundation

/// Maps event type names (and schema versions) to Swift types, and encodes
/// and decodes payloads with one ``EventCodec``.
///
/// Backends see bytes; the registry is where bytes become typed events.
///
/// ```swift
/// var registry = EventTypeRegistry()           // BinaryCodec by default
/// registry.register(TicketFiled.self)
/// let data = try registry.encode(TicketFiled(ticketID: "t-1", channel: "app"), id: eventID)
/// _ = try await store.append([data], to: stream)
/// let typed = try registry.decode(recorded)    // any DomainEvent
/// ```
public struct EventTypeRegistry: Sendable {
    struct Entry: Sendable {
        let type: any DomainEvent.Type
        let schemaVersion: UInt16
        let decode: @Sendable (any EventCodec, [UInt8], (any PersonalOpening)?) throws(CodecError) -> any DomainEvent
        let decodeJSON: @Sendable ([UInt8]) throws(CodecError) -> any DomainEvent
        /// The JSON form; `true` writes personal fields as they read.
        let toJSON: @Sendable (any DomainEvent, Bool) throws(CodecError) -> [UInt8]
        let encode: @Sendable (any EventCodec, any DomainEvent, (any PersonalSealing)?) throws(CodecError) -> [UInt8]
        /// The subjects of the event's personal fields that `sealer` has no
        /// key ready for.
        let unsealedSubjects: @Sendable (any DomainEvent, any PersonalSealing) -> [String]
        /// The payload a parsed JSON form describes.
        let payloadFromJSON: @Sendable (any EventCodec, JSONValue) throws(CodecError) -> [UInt8]
    }

    /// The codec of stored payloads.
    public let codec: any EventCodec
    struct UpcastKey: Hashable, Sendable {
        let type: String
        let version: UInt16
    }

    private(set) var entries: [String: Entry] = [:]
    var upcasters: [UpcastKey: Upcaster] = [:]

    /// Seals the personal fields (``PersonalText``) of schema-generated
    /// events as they are encoded, and opens them as they are decoded;
    /// `nil` (the default) writes them in clear and reads sealed ones as
    /// erased. Call ``preparePersonalKeys(for:)`` before encoding events
    /// whose subjects may have no key yet (``AggregateRepository`` does).
    ///
    /// ```swift
    /// var registry = CaseEvents.registry
    /// registry.personalData = try await PersonalDataVault(storage: keys, masterKey: master)
    /// ```
    public var personalData: PersonalDataVault?

    /// Creates an empty registry.
    public init(codec: any EventCodec = BinaryCodec()) {
        self.codec = codec
    }

    /// Registers a type under its ``DomainEvent/eventType``. Registering a
    /// name twice replaces the earlier type.
    public mutating func register<E: DomainEvent>(_ type: E.Type) {
        entries[E.eventType] = Entry(
            type: E.self,
            schemaVersion: E.schemaVersion,
            decode: { (codec, bytes, _) throws(CodecError) in try codec.decode(E.self, from: bytes) },
            decodeJSON: { (bytes) throws(CodecError) in try JSONCodec().decode(E.self, from: bytes) },
            toJSON: { (event, _) throws(CodecError) in
                guard let e = event as? E else { throw CodecError("\(Swift.type(of: event)) is not \(E.self)") }
                return try JSONCodec().encode(e)
            },
            encode: { (codec, event, _) throws(CodecError) in
                guard let e = event as? E else { throw CodecError("\(Swift.type(of: event)) is not \(E.self)") }
                return try codec.encode(e)
            },
            unsealedSubjects: { _, _ in [] },
            payloadFromJSON: { (codec, json) throws(CodecError) in
                var text = JSONText()
                text.value(json)
                return try codec.encode(try JSONCodec().decode(E.self, from: text.bytes))
            }
        )
    }

    /// Registers a schema-generated event: payloads are decoded and encoded
    /// by its generated code (binary with ``BinaryCodec``, its JSON form for
    /// display and input), without Codable or runtime casts.
    public mutating func register<E: SchemaEvent>(_ type: E.Type) {
        let binary = codec is BinaryCodec
        entries[E.eventType] = Entry(
            type: E.self,
            schemaVersion: E.schemaVersion,
            decode: { (codec, bytes, personal) throws(CodecError) in
                guard binary else { return try codec.decode(E.self, from: bytes) }
                let result: Result<E, CodecError> = bytes.withUnsafeBytes { raw in
                    var reader = ByteReader(raw)
                    reader.personal = personal
                    do throws(CodecError) {
                        let event = try E(binary: &reader)
                        guard reader.isAtEnd else { throw CodecError("binary decoding of \(E.self) left \(reader.remaining) bytes unread") }
                        return .success(event)
                    } catch {
                        return .failure(error)
                    }
                }
                return try result.get()
            },
            decodeJSON: { (bytes) throws(CodecError) in try E(json: try JSONValue.parse(bytes)) },
            toJSON: { (event, opensPersonal) throws(CodecError) in
                guard let e = event as? E else { throw CodecError("\(Swift.type(of: event)) is not \(E.self)") }
                return e.json(opensPersonal: opensPersonal)
            },
            encode: { (codec, event, sealer) throws(CodecError) in
                guard let e = event as? E else { throw CodecError("\(Swift.type(of: event)) is not \(E.self)") }
                guard binary else { return try codec.encode(e) }
                var writer = ByteWriter(capacity: 64)
                writer.personal = sealer
                e.encode(binary: &writer)
                if let subject = writer.unsealedSubjects.first {
                    throw CodecError("a personal field of \(E.eventType) has no key ready for its subject \(subject.debugDescription): call preparePersonalKeys(for:) first")
                }
                return writer.bytes
            },
            unsealedSubjects: { event, sealer in
                guard binary, let e = event as? E else { return [] }
                var writer = ByteWriter(capacity: 64)
                writer.personal = sealer
                e.encode(binary: &writer)
                return writer.unsealedSubjects
            },
            payloadFromJSON: { (codec, json) throws(CodecError) in
                let e = try E(json: json)
                return binary ? e.binary : try codec.encode(e)
            }
        )
    }

    /// Every registered type name, sorted.
    public var registeredTypes: [String] { entries.keys.sorted() }

    /// The schema version a registered type is read at; `nil` when unregistered.
    public func schemaVersion(of type: String) -> UInt16? { entries[type]?.schemaVersion }

    /// Whether a type name is registered.
    public func isRegistered(_ type: String) -> Bool { entries[type] != nil }

    /// Encodes a typed event into an ``EventData`` ready to append.
    public func encode<E: DomainEvent>(_ event: E, id: UUID = .timeOrdered(), metadata: EventMetadata = EventMetadata()) throws(CodecError) -> EventData {
        let payload: [UInt8]
        if let entry = entries[E.eventType] {
            payload = try entry.encode(codec, event, personalData)
        } else {
            payload = try codec.encode(event)
        }
        return EventData(id: id, type: E.eventType, schemaVersion: E.schemaVersion, payload: payload, metadata: metadata)
    }

    /// Decodes a recorded event into its registered type.
    ///
    /// - Throws: ``CodecError`` for an unknown type, a schema version the
    ///   registry cannot read, or malformed bytes.
    public func decode(_ recorded: RecordedEvent) throws(CodecError) -> any DomainEvent {
        let all = try decodeAll(recorded)
        guard all.count == 1 else {
            throw CodecError("the event at position \(recorded.position) upcasts to \(all.count) events; use decodeAll")
        }
        return all[0]
    }

    /// Decodes a recorded event as a given type.
    public func decode<E: DomainEvent>(_ recorded: RecordedEvent, as type: E.Type) throws(CodecError) -> E {
        let event = try decode(recorded)
        guard let typed = event as? E else { throw CodecError("event at \(recorded.position) is \(recorded.type), not \(E.eventType)") }
        return typed
    }

    /// Decodes a payload of a type name and schema version.
    public func decode(type: String, schemaVersion: UInt16, payload: [UInt8]) throws(CodecError) -> any DomainEvent {
        guard let entry = entries[type] else { throw CodecError("unknown event type '\(type)'") }
        guard entry.schemaVersion == schemaVersion else {
            throw CodecError("event type '\(type)' is stored at schema version \(schemaVersion) but the code reads version \(entry.schemaVersion); decode the recorded event to run upcasters")
        }
        return try entry.decode(codec, payload, personalData)
    }

    /// The payload of a recorded event of a registered type as JSON (sorted
    /// keys), for export and display; `nil` for an unregistered type.
    public func jsonPayload(of recorded: RecordedEvent) throws(CodecError) -> [UInt8]? {
        try jsonPayload(type: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload)
    }

    /// A payload of a registered type, stored at the schema version the
    /// registry reads, as JSON (sorted keys); `nil` for another type or version.
    ///
    /// - Throws: ``CodecError`` when the payload does not decode as its type.
    /// Personal fields show as stored (sealed) unless `opening`, when those
    /// the registry's ``personalData`` vault opens show their text and those
    /// of forgotten subjects `{"erased": true}`.
    public func jsonPayload(type: String, schemaVersion: UInt16, payload: [UInt8], opening: Bool = false) throws(CodecError) -> [UInt8]? {
        guard let entry = entries[type], entry.schemaVersion == schemaVersion else { return nil }
        return try entry.toJSON(try entry.decode(codec, payload, opening ? personalData : nil), opening)
    }

    /// Builds an event of a registered type from JSON (checked against the
    /// type), encoded with the registry's codec; `nil` for an unregistered type.
    public func eventData(type: String, json: [UInt8], id: UUID = .timeOrdered(), metadata: EventMetadata = EventMetadata()) throws(CodecError) -> EventData? {
        guard let entry = entries[type] else { return nil }
        let event = try entry.decodeJSON(json)
        return EventData(id: id, type: type, schemaVersion: entry.schemaVersion, payload: try encodeAny(event), metadata: metadata)
    }

    /// The payload a registered type's JSON form describes, at the schema
    /// version the registry reads: what an importer compares with the
    /// payload it was given. `nil` for another type or version.
    ///
    /// ```swift
    /// let bytes = try registry.payload(type: "TicketTaken", schemaVersion: 1,
    ///                                  json: try JSONValue.parse(Array(#"{"officerID":"o","ticketID":"t"}"#.utf8)))
    /// ```
    public func payload(type: String, schemaVersion: UInt16, json: JSONValue) throws(CodecError) -> [UInt8]? {
        guard let entry = entries[type], entry.schemaVersion == schemaVersion else { return nil }
        return try entry.payloadFromJSON(codec, json)
    }

    private func encodeAny(_ event: any DomainEvent) throws(CodecError) -> [UInt8] {
        if let entry = entries[Swift.type(of: event).eventType] { return try entry.encode(codec, event, personalData) }
        return try codec.encode(event)
    }

    /// Creates, in ``personalData``, the keys that the personal fields of
    /// `events` need and do not have yet, so that encoding them seals every
    /// personal field. Does nothing without a vault.
    ///
    /// ```swift
    /// try await registry.preparePersonalKeys(for: [filed])
    /// let data = try registry.encode(filed)
    /// ```
    ///
    /// - Throws: ``PersonalDataError`` when a key cannot be created (an
    ///   invalid subject id, a failing key store).
    public func preparePersonalKeys(for events: [any DomainEvent]) async throws(PersonalDataError) {
        guard let vault = personalData else { return }
        var missing: [String] = []
        for event in events {
            guard let entry = entries[Swift.type(of: event).eventType] else { continue }
            missing += entry.unsealedSubjects(event, vault)
        }
        if !missing.isEmpty { try await vault.prepare(subjects: missing) }
    }
}
