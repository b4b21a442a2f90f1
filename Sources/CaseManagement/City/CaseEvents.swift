import CaseLedger

/// Every event type of the case domain, as the schema files define them
/// (`Tickets/Tickets.events`, `Ratings/Ratings.events`,
/// `Checkups/Checkups.events`, `Enforcement/Enforcement.events`).
public enum CaseEvents {
    /// The current event types, for registration: the schema files' and the
    /// library's erasure event (``PersonalDataErased``).
    public static var all: [any SchemaEvent.Type] { SchemaEvents.current + [PersonalDataErased.self] }

    /// Each current event type's fingerprint: name, schema version and
    /// fields written out in full (see ``SchemaHistory``).
    public static var fingerprints: [String] { all.map { $0.fingerprint } }

    /// A registry with every case event type, encoding with ``BinaryCodec``.
    ///
    /// ```swift
    /// let registry = CaseEvents.registry()
    /// ```
    public static func registry(codec: any EventCodec = BinaryCodec()) -> EventTypeRegistry {
        var registry = EventTypeRegistry(codec: codec)
        for type in all { register(type, in: &registry) }
        // Older stored forms.
        registry.registerUpcaster(from: TicketFiledV1.self) { old in
            [TicketFiled(ticketID: old.ticketID, channel: old.channel, category: old.category, filerID: old.filerID,
                         summary: PersonalText(old.summary), level: old.level, centerID: old.centerID, isClue: old.isClue)]
        }
        registry.registerUpcaster(from: RatingSubmittedV1.self) { old in
            [RatingSubmitted(ratingID: old.ratingID, unitID: old.unitID, officerID: old.officerID, isLeader: old.isLeader,
                             score: old.score, clueTicketID: old.clueTicketID, raterID: nil)]
        }
        return registry
    }

    private static func register<E: SchemaEvent>(_ type: E.Type, in registry: inout EventTypeRegistry) {
        registry.register(E.self)
    }
}

/// The payload layout of every case event, as Markdown: what
/// `docs/EVENT-LAYOUTS.md` holds and `caseledger types --markdown` prints.
///
/// ```swift
/// print(EventLayouts.markdown)
/// ```
public enum EventLayouts {
    /// The document.
    public static var markdown: String {
        SchemaLayouts.markdown(title: "Case event payload layouts", groups: groups)
    }

    /// The current event types by schema file, and the library's erasure event.
    public static var groups: [(file: String, types: [any SchemaEvent.Type])] {
        SchemaEvents.groups + [("the library: personal data", [PersonalDataErased.self])]
    }
}
