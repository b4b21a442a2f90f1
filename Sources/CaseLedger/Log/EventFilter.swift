/// Which events a read of the whole log returns.
///
/// `nil` sets mean "no restriction". An event passes when its category is in
/// `categories` (if given) and its type is in `eventTypes` (if given).
///
/// ```swift
/// let tickets = EventFilter(categories: ["ticket"])
/// ```
public struct EventFilter: Hashable, Sendable {
    /// Only events of streams in these categories.
    public var categories: Set<String>?
    /// Only events of these types.
    public var eventTypes: Set<String>?

    /// Every event.
    public static let all = EventFilter()

    /// Creates a filter.
    public init(categories: Set<String>? = nil, eventTypes: Set<String>? = nil) {
        self.categories = categories
        self.eventTypes = eventTypes
    }

    /// Whether the filter lets every event through.
    public var isEmpty: Bool { categories == nil && eventTypes == nil }

    /// Whether an event with this stream name and type passes.
    public func matches(streamName: String, type: String) -> Bool {
        if let categories, !categories.contains(StreamName.category(of: streamName)) { return false }
        if let eventTypes, !eventTypes.contains(type) { return false }
        return true
    }

    /// Whether an event of this category and type passes.
    public func matches(category: String, type: String) -> Bool {
        if let categories, !categories.contains(category) { return false }
        if let eventTypes, !eventTypes.contains(type) { return false }
        return true
    }

    /// Whether a recorded event passes.
    public func matches(_ event: RecordedEvent) -> Bool {
        matches(streamName: event.stream.value, type: event.type)
    }
}
