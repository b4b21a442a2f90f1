import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import Foundation

/// The codec row: decoding and re-encoding every stored case event of a
/// year, through the schema-generated codecs against `Codable` through
/// ``BinaryCodec`` (what encoding went through before the events were
/// generated).
enum CodecCase {
    /// Every event of the store, payloads grouped by event type.
    static func payloads(path: String) async throws -> [String: [[UInt8]]] {
        let store = try LMDBEventStore(path: path)
        var byType: [String: [[UInt8]]] = [:]
        for try await page in store.allEvents(pageSize: 10_000) {
            for event in page { byType[event.type, default: []].append(event.payload) }
        }
        await store.close()
        return byType
    }

    /// Events per second: (generated, Codable), each a decode and an encode of every event.
    static func run(_ byType: [String: [[UInt8]]]) throws -> (generated: Double, codable: Double, events: Int) {
        var generated = 0.0, codable = 0.0, events = 0
        for type in CaseEvents.all {
            guard let payloads = byType[type.eventType] else { continue }
            let (g, c) = try measure(type, payloads)
            generated += g
            codable += c
            events += payloads.count
        }
        return (Double(events) / generated, Double(events) / codable, events)
    }

    /// Seconds for one type: generated, Codable. Both must give back the stored bytes.
    private static func measure<E: SchemaEvent>(_ type: E.Type, _ payloads: [[UInt8]]) throws -> (Double, Double) {
        let codec = BinaryCodec()
        var check = 0
        let start = ContinuousClock.now
        for payload in payloads {
            let event = try payload.withUnsafeBytes { buffer in
                var reader = ByteReader(buffer)
                return try E(binary: &reader)
            }
            check &+= event.binary.count
        }
        let middle = ContinuousClock.now
        for payload in payloads {
            let event = try payload.withUnsafeBytes { try codec.decode(E.self, from: $0) }
            check &-= try codec.encode(event).count
        }
        let end = ContinuousClock.now
        guard check == 0 else { throw CodecError("\(E.self): the two codecs wrote different bytes") }
        return ((middle - start) / .seconds(1), (end - middle) / .seconds(1))
    }
}
