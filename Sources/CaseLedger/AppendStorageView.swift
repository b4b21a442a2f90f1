import Foundation

/// What the append rules need to read from a backend: stream versions,
/// known event ids and stored records, as seen inside the append's transaction.
package protocol AppendStorageView {
    /// The stream's current version, 0 when it does not exist.
    func currentVersion(of stream: String) throws(EventStoreError) -> UInt64
    /// The position of a stored event id, or `nil`.
    func position(ofEventID id: UUID) throws(EventStoreError) -> UInt64?
    /// The stored record at a position.
    func record(at position: UInt64) throws(EventStoreError) -> RecordedEvent
}
