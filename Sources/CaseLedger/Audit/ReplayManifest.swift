import Foundation

/// What a rebuild or a point-in-time replay produced, so that two audits
/// compare by one file: the head they read to, the library version, and
/// each projection's digest. It carries no wall-clock time, so the same log
/// gives the same manifest, byte for byte.
public struct ReplayManifest: Codable, Hashable, Sendable {
    /// The version of CaseLedger that replayed.
    public var libraryVersion: String
    /// The last position read.
    public var headPosition: UInt64
    /// That record's audit hash, hex.
    public var headHash: String
    /// The replay point, when it was not the head (`position:N` or `time:ISO8601`).
    public var asOf: String?
    /// Projection name → digest.
    public var projections: [String: String]

    /// Creates a manifest.
    public init(headPosition: UInt64, headHash: String, asOf: String? = nil, projections: [String: String]) {
        self.libraryVersion = CaseLedgerVersion.current
        self.headPosition = headPosition
        self.headHash = headHash
        self.asOf = asOf
        self.projections = projections
    }

    /// The manifest as pretty JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
