import Foundation

/// A record an append will write: its keys for the indexes and its stored value.
package struct PlannedRecord: Sendable {
    package var position: UInt64
    package var stream: String
    package var streamVersion: UInt64
    package var id: UUID
    package var type: String
    /// Canonical bytes followed by the audit hash.
    package var value: [UInt8]
    package var hash: AuditHash

    package var category: String { StreamName.category(of: stream) }
}
