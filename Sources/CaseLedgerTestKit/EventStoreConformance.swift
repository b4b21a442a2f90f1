import CaseLedger
import Foundation

/// The suite every ``EventStore`` backend passes: ordering, contiguity,
/// expected versions, idempotency, multi-stream atomicity, reads both ways,
/// filters, limits, streaming, every error, the audit chain and concurrency.
///
/// ```swift
/// @Test(arguments: EventStoreConformance.cases)
/// func conformance(_ check: ConformanceCase) async throws {
///     try await check.run { options in try LMDBEventStore(configuration: .init(path: tempDir(), options: options)) }
/// }
/// ```
public enum EventStoreConformance {
    /// Every case.
    public static let cases: [ConformanceCase] = [
        ConformanceCase("empty store", emptyStore),
        ConformanceCase("contiguous positions and round-trip", contiguousPositions),
        ConformanceCase("recorded-at stamping", recordedAtStamping),
        ConformanceCase("expected version rules", expectedVersionRules),
        ConformanceCase("idempotent append", idempotentAppend),
        ConformanceCase("event id reuse", eventIDReuse),
        ConformanceCase("multi-stream atomicity", multiStreamAtomicity),
        ConformanceCase("read stream both ways", readStreamBothWays),
        ConformanceCase("read all with filters and limits", readAllFilters),
        ConformanceCase("streaming pages", streamingPages),
        ConformanceCase("invalid input", invalidInput),
        ConformanceCase("payload limit", payloadLimit),
        ConformanceCase("closed store", closedStore),
        ConformanceCase("audit chain", auditChain),
        ConformanceCase("32 tasks on 4 hot streams", hotStreams),
        ConformanceCase("64 concurrent appenders", concurrentAppenders),
        ConformanceCase("large batch", largeBatch),
        ConformanceCase("live subscription with 16 appending tasks", liveSubscription),
        ConformanceCase("filtered live subscription", filteredSubscription),
        ConformanceCase("slow subscriber does not hold up appends", slowSubscriber),
    ]

    /// A deterministic event id for tests.
    static func id(_ n: Int, _ salt: UInt8 = 0) -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: UInt64(n).bigEndian) { bytes.replaceSubrange(8..<16, with: $0) }
        bytes[0] = 0xCA
        bytes[1] = salt
        bytes[6] = 0x40 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    static func event(_ type: String = "Tested", _ text: String = "", id: UUID = UUID(), metadata: EventMetadata = EventMetadata()) -> EventData {
        EventData(id: id, type: type, payload: Array(text.utf8), metadata: metadata)
    }

    static func stream(_ name: String) throws -> StreamName { try StreamName(name) }
}
