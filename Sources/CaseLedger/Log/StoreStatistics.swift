/// A store's size and head, for `caseledger stats`.
public struct StoreStatistics: Codable, Hashable, Sendable {
    public var events: UInt64
    public var streams: UInt64
    public var categories: UInt64
    public var bytesOnDisk: UInt64
    public var headPosition: UInt64
    public var headHash: String

    /// Creates statistics.
    public init(events: UInt64, streams: UInt64, categories: UInt64, bytesOnDisk: UInt64, headPosition: UInt64, headHash: String) {
        self.events = events
        self.streams = streams
        self.categories = categories
        self.bytesOnDisk = bytesOnDisk
        self.headPosition = headPosition
        self.headHash = headHash
    }
}
