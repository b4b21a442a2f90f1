import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import CaseWorkload
import Crypto
import Foundation

/// The cost of sealing personal fields: the year of the city generated
/// (appended) and rebuilt with every ticket summary and rater sealed per
/// citizen, against the same year in clear.
enum PersonalCase {
    /// Generates the year into a fresh store at `path`, sealed when `master`
    /// is given (keys in `path/keys`); events per second, and the events.
    static func generate(path: String, scale: Double, master: SymmetricKey?) async throws -> (Double, UInt64) {
        let store = try LMDBEventStore(path: path, durability: .relaxed)
        let keys = try master.map { _ in try LMDBKeyStorage(path: path + "/keys") }
        var vault: PersonalDataVault?
        let seconds = try await Measure.seconds {
            if let keys, let master { vault = try await PersonalDataVault(storage: keys, masterKey: master) }
            _ = try await CityWorkload(WorkloadConfiguration(scale: scale, seed: 2025)).generate(into: store, personalData: vault)
            try await store.sync()
        }
        let events = try await store.headPosition()
        await store.close()
        await keys?.close()
        return (Double(events) / seconds, events)
    }

    /// Rebuilds the four city read models and the citizens' files; events
    /// per second (the vault's keys are loaded before the clock starts, as a
    /// service does at start).
    static func rebuild(path: String, master: SymmetricKey?) async throws -> (Double, [String: String]) {
        let store = try LMDBEventStore(path: path)
        var registry = CaseEvents.registry()
        let keys = try master.map { _ in try LMDBKeyStorage(path: path + "/keys") }
        if let keys, let master { registry.personalData = try await PersonalDataVault(storage: keys, masterKey: master) }
        let head = try await store.headPosition()
        let engine = ProjectionEngine(store: store, registry: registry, options: ProjectionOptions(pageSize: 4_096, saveEvery: 10_000_000))
        try await CityProjections.register(in: engine)
        try await engine.register(CitizenFilesProjection())
        var digests: [String: String] = [:]
        let seconds = try await Measure.seconds { digests = try await engine.rebuild() }
        await store.close()
        await keys?.close()
        return (Double(head) / seconds, digests)
    }

    /// Reads every ticket filed and rating given through the registry and
    /// the text of each personal field (opening it, when sealed); events per
    /// second over the whole log, and the texts read, to compare.
    static func readPersonal(path: String, master: SymmetricKey?) async throws -> (Double, [String]) {
        let store = try LMDBEventStore(path: path)
        var registry = CaseEvents.registry()
        let keys = try master.map { _ in try LMDBKeyStorage(path: path + "/keys") }
        if let keys, let master { registry.personalData = try await PersonalDataVault(storage: keys, masterKey: master) }
        let head = try await store.headPosition()
        let filter = EventFilter(eventTypes: [TicketFiled.eventType, RatingSubmitted.eventType])
        var texts: [String] = []
        let seconds = try await Measure.seconds {
            var position: UInt64 = 1
            while true {
                let page = try await store.readAll(from: position, filter: filter, limit: 4_096)
                guard let last = page.last else { break }
                for recorded in page {
                    switch try registry.decode(recorded) {
                    case let filed as TicketFiled: texts.append(filed.summary.text ?? "[erased]")
                    case let rating as RatingSubmitted: texts.append(rating.raterID?.text ?? "-")
                    default: continue
                    }
                }
                position = last.position + 1
            }
        }
        await store.close()
        await keys?.close()
        return (Double(head) / seconds, texts)
    }
}
