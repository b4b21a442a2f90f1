/// Where an event lies in the log, as a typed projection handler receives it
/// beside the event (see ``EventHandlers``).
///
/// ```swift
/// handlers.on(TicketFiled.self) { event, context, board in
///     board.lastFiledAt = context.recordedAt
/// }
/// ```
public struct EventContext: Sendable, Hashable {
    /// The global position.
    public let position: UInt64
    /// The event's version in its stream.
    public let streamVersion: UInt64
    /// When the event was recorded.
    public let recordedAt: Timestamp

    /// The context of an event not yet recorded (a command's own events,
    /// applied to the state before they are appended): all zero.
    public static let unrecorded = EventContext(position: 0, streamVersion: 0, recordedAt: Timestamp(microsecondsSince1970: 0))

    /// Creates a context.
    public init(position: UInt64, streamVersion: UInt64, recordedAt: Timestamp) {
        self.position = position
        self.streamVersion = streamVersion
        self.recordedAt = recordedAt
    }

    /// The context of a recorded event.
    public init(_ record: RecordedEvent) {
        self.init(position: record.position, streamVersion: record.streamVersion, recordedAt: record.recordedAt)
    }
}
