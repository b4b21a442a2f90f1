import CaseLedger
import CaseManagement
import Crypto
import Foundation

/// The city scenario of forgetting a citizen, run against every backend: a
/// citizen's tickets and ratings written through a registry with a vault,
/// read back in clear; the citizen forgotten; then read back erased
/// everywhere (store reads, aggregates, the read models live and rebuilt,
/// an as-of replay, an export and an import of it), while `verify` passes,
/// the city's figures do not move, and no file of the store or key store
/// holds the plaintext or the wrapped key. Forgetting twice is harmless; a
/// wrong master key is refused and writes nothing.
public enum PersonalDataScenario {
    /// What the scenario needs from a backend.
    public struct Backend: Sendable {
        /// An empty store.
        public var store: any ReadModelStore
        /// An empty key store beside it.
        public var keys: any PersonalKeyStorage
        /// Another empty store (to import an export into).
        public var freshStore: @Sendable () async throws -> any ReadModelStore
        /// The files of the store and key store (after flushing them) that
        /// hold `bytes`.
        public var filesHolding: @Sendable ([UInt8]) async throws -> [String]
        /// A scratch directory for the export.
        public var scratch: String

        /// Creates the description.
        public init(store: any ReadModelStore, keys: any PersonalKeyStorage,
                    freshStore: @escaping @Sendable () async throws -> any ReadModelStore,
                    filesHolding: @escaping @Sendable ([UInt8]) async throws -> [String], scratch: String) {
            self.store = store
            self.keys = keys
            self.freshStore = freshStore
            self.filesHolding = filesHolding
            self.scratch = scratch
        }
    }

    /// What the run left for the caller's own checks (the reference verifier).
    public struct Outcome: Sendable {
        /// The export written after forgetting.
        public var exportPath: String
        /// The forgotten citizen's plaintexts.
        public var plaintexts: [String]
    }

    /// Runs the scenario; throws ``ConformanceFailure`` at the first broken expectation.
    public static func run(_ backend: Backend) async throws -> Outcome {
        let store = backend.store
        let token = UUID().uuidString.prefix(8).lowercased()
        let forgotten = "citizen-f\(token)"
        let kept = "citizen-k\(token)"
        let asked = "wages unpaid at the brick works, asks \(token) for help"
        let keptText = "a neighbour's wall \(token) leans over the lane"
        let master = SymmetricKey(size: .bits256)

        // A wrong master key is refused before anything is written.
        let vault = try await PersonalDataVault(storage: backend.keys, masterKey: master)
        let keysBefore = try await backend.keys.allKeys()
        do {
            _ = try await PersonalDataVault(storage: backend.keys, masterKey: SymmetricKey(size: .bits256))
            throw ConformanceFailure("a wrong master key was accepted")
        } catch let error as PersonalDataError {
            try Expect.equal(error.code, .wrongMasterKey, "a wrong master key is a typed error")
        }
        try Expect.equal(try await backend.keys.allKeys(), keysBefore, "a wrong master key writes nothing")

        var registry = CaseEvents.registry()
        registry.personalData = vault
        let desk = CaseDesk(store: store, registry: registry)
        let ticket = "P\(token)-1", other = "P\(token)-2"
        try await desk.ticket(ticket) { try $0.file(ticket, channel: .orderPlatform, category: .wageDispute, filerID: forgotten,
                                                     summary: asked, level: .village, centerID: "center-village-0001") }
        try await desk.ticket(other) { try $0.file(other, channel: .oneStopDesk, category: .neighbourDispute, filerID: kept,
                                                    summary: keptText, level: .village, centerID: "center-village-0001") }
        try await desk.rate(ratingID: "R\(token)-1", unitID: "unit-001", officerID: "officer-0001", score: 4, raterID: forgotten)
        try await desk.rate(ratingID: "R\(token)-2", unitID: "unit-001", score: 5, raterID: kept)

        // Read back in clear; the log holds ciphertext only.
        let filed = try await Self.filed(ticket, store, registry)
        try Expect.equal(filed.summary.text, asked, "the summary reads in clear while the key exists")
        try Expect.that(filed.summary.sealed != nil, "the summary is stored sealed")
        try Expect.equal(try await Self.raters(store, registry), [forgotten, kept], "the raters read in clear")
        try Expect.equal(try await backend.filesHolding(Array(asked.utf8)), [], "no file holds the plaintext, even before forgetting")
        let engine = ProjectionEngine(store: store, registry: registry)
        try await engine.register(CitizenFilesProjection())
        for projection in CityProjections.all { try await Self.register(projection, in: engine) }
        _ = try await engine.catchUp()
        let row = try await engine.row(forgotten, of: CitizenFilesProjection.self, in: \.citizens)
        try Expect.equal(row?.tickets[ticket]?.text, asked, "the citizen's file holds the summary live")
        try Expect.equal(row?.ratings, 1, "and the rating")
        try await engine.save()
        let saved = try await store.savedRows(of: CitizenFilesProjection.self, in: \.citizens, RowRange(from: forgotten, limit: 1))
        try Expect.equal(saved.first?.row.tickets[ticket]?.text, nil, "a saved row keeps the summary sealed")
        try Expect.equal(saved.first?.row.tickets[ticket]?.opened(with: vault).text, asked, "and the vault opens it")
        let beforeHead = try await store.headPosition()
        let figuresBefore = try await ProjectionReplayer(store: store, registry: registry).replay(CityProjections.all).digests
        let wrapped = try await backend.keys.allKeys().filter { $0.subject == forgotten }.map(\.wrapped)
        try Expect.equal(wrapped.count, 1, "the citizen has one key")
        try Expect.that(!(try await backend.filesHolding(wrapped[0])).isEmpty, "the scan finds the wrapped key before forgetting")

        // Forget, twice.
        let first = try await vault.forget(subject: forgotten, reason: "asked to be forgotten (request \(token))", in: store)
        try Expect.that(first.recordedErasure && first.destroyedKey, "the first forget records the erasure and destroys the key")
        let second = try await vault.forget(subject: forgotten, reason: "again", in: store)
        try Expect.that(!second.recordedErasure && !second.destroyedKey, "forgetting twice changes nothing")
        try Expect.equal(second.erasurePosition, first.erasurePosition, "the erasure is recorded once")
        try Expect.equal(try await store.headPosition(), beforeHead + 1, "one erasure event, no personal data in it")

        // Erased everywhere, for this vault and a fresh one.
        let reopened = try await PersonalDataVault(storage: backend.keys, masterKey: master)
        for v in [vault, reopened] {
            var r = CaseEvents.registry()
            r.personalData = v
            let again = try await Self.filed(ticket, store, r)
            try Expect.that(again.summary.isErased && again.summary.sealed == filed.summary.sealed, "the summary reads erased; its ciphertext is unchanged")
            try Expect.equal(try await Self.filed(other, store, r).summary.text, keptText, "another citizen's summary still reads")
            try Expect.equal(try await Self.raters(store, r), [nil, kept], "the forgotten rater reads erased")
            let aggregate = try await CaseDesk(store: store, registry: r).loadTicket(ticket)
            try Expect.equal(aggregate.filerID, forgotten, "the ticket aggregate still loads (it keeps only the pseudonymous filer id)")
        }
        _ = try await engine.catchUp()
        try Expect.equal(try await engine.row(forgotten, of: CitizenFilesProjection.self, in: \.citizens), nil, "the live read model dropped the citizen")
        try Expect.equal(try await engine.row(kept, of: CitizenFilesProjection.self, in: \.citizens)?.tickets[other]?.text, keptText, "and kept the other")
        try await engine.save()
        try Expect.equal(try await store.savedRows(of: CitizenFilesProjection.self, in: \.citizens, RowRange(from: forgotten, limit: 1)).first?.key == forgotten,
                         false, "the saved read model dropped the citizen's row")
        try await engine.stop()
        let rebuilt = try await ProjectionReplayer(store: store, registry: registry).replay(CityProjections.all + [CitizenFilesProjection()])
        try Expect.equal(rebuilt.state(of: CitizenFilesProjection.self)?.citizens[forgotten], nil, "a rebuild never makes the citizen's row")
        try Expect.equal(rebuilt.digests.filter { $0.key != CitizenFilesProjection.name }, figuresBefore, "the city's read models do not move")
        let asOf = try await ProjectionReplayer(store: store, registry: registry).replay([CitizenFilesProjection()], asOf: .position(beforeHead))
        let past = asOf.state(of: CitizenFilesProjection.self)?.citizens[forgotten]
        try Expect.that(past != nil && past?.tickets[ticket]?.isErased == true, "as of before the forget, the row is there with the summary erased")

        // The log verifies unchanged; an export carries ciphertext; an import without the keys reads erased.
        let report = try await LogVerifier(store: store).verify()
        try Expect.that(report.isValid, "verify passes after forgetting: \(String(describing: report.failure))")
        let exportPath = backend.scratch + "/personal-\(token).ndjson"
        _ = try await LogExporter(store: store, registry: CaseEvents.registry()).export(to: exportPath)
        let exported = try Data(contentsOf: URL(fileURLWithPath: exportPath))
        try Expect.that(exported.range(of: Data(asked.utf8)) == nil && exported.range(of: Data(keptText.utf8)) == nil, "the export holds no plaintext")
        let imported = try await backend.freshStore()
        _ = try await LogImporter(store: imported, registry: CaseEvents.registry()).importFile(exportPath)
        try Expect.that(try await Self.filed(other, imported, CaseEvents.registry()).summary.isErased, "an import without the keys reads erased, not a failure")
        var withKeys = CaseEvents.registry()
        withKeys.personalData = reopened
        try Expect.equal(try await Self.filed(other, imported, withKeys).summary.text, keptText, "with the keys, the other citizen reads in clear")
        try Expect.that(try await Self.filed(ticket, imported, withKeys).summary.isErased, "the forgotten citizen stays erased")
        await imported.close()

        // No file keeps the plaintext or the destroyed key.
        try Expect.equal(try await backend.filesHolding(Array(asked.utf8)), [], "no file holds the forgotten plaintext")
        try Expect.equal(try await backend.filesHolding(wrapped[0]), [], "no file holds the destroyed key")
        return Outcome(exportPath: exportPath, plaintexts: [asked])
    }

    private static func register<P: Projection>(_ projection: P, in engine: ProjectionEngine) async throws {
        try await engine.register(projection)
    }

    static func filed(_ ticket: String, _ store: any EventStore, _ registry: EventTypeRegistry) async throws -> TicketFiled {
        let events = try await store.readStream(try StreamName("ticket-\(ticket)"), from: 1, direction: .forward, limit: 1)
        guard let first = events.first else { throw ConformanceFailure("ticket \(ticket) has no events") }
        return try registry.decode(first, as: TicketFiled.self)
    }

    static func raters(_ store: any EventStore, _ registry: EventTypeRegistry) async throws -> [String?] {
        let events = try await store.readStream(try StreamName("evaluation-unit-001"), from: 1, direction: .forward, limit: 100)
        return try events.suffix(2).map { try registry.decode($0, as: RatingSubmitted.self).raterID?.text }
    }
}
