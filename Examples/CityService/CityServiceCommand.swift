import ArgumentParser
import CaseLedger
import CaseLedgerLMDB
import CaseLedgerPostgres
import CaseWorkload
import Foundation
import Logging
import ServiceLifecycle

/// `CityService`: the city's case service on one port.
///
///     swift run CityService --store /tmp/city-store --seed 0.05
///     # dashboard: http://127.0.0.1:8080/#token=auditor-token
@main
struct CityServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "CityService",
        abstract: "The city's case service: HTTP API, live dashboard and audit console over a CaseLedger store.",
        discussion: """
        The store, the projection engine (the four city read models, following live) and the HTTP \
        server run in one service group; SIGTERM or SIGINT stops them cleanly (the read models are \
        saved). Without --tokens, four demo tokens are used: admin-token, auditor-token, \
        officer-token (officer-0001 of unit-001) and citizen-token (citizen-1).
        """)

    @Option(help: "The store: an LMDB directory (created when missing) or a postgres://user@host:port/db[?schema=name] URL.")
    var store = "city-service-store"

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port (default: $PORT, else 8080; 0 picks a free one).")
    var port: Int?

    @Option(help: "Generate a year of the city at this scale (0.01 to 1) into the store when it is empty.")
    var seed: Double?

    @Option(help: "A JSON file of bearer tokens: {\"token\": {\"role\": \"officer\", \"id\": \"officer-1\", \"unit\": \"unit-001\"}}.")
    var tokens: String?

    func run() async throws {
        var logger = Logger(label: "city-service")
        logger.logLevel = .info
        let book: TokenBook
        do {
            book = try tokens.map { try TokenBook(contentsOf: $0) } ?? .demo()
        } catch {
            throw ValidationError("cannot read the tokens file \(tokens ?? ""): \(error)")
        }
        let opened = try await Self.open(store)
        if let seed, try await opened.headPosition() == 0 {
            guard (0.001...1).contains(seed) else { throw ValidationError("--seed is a scale from 0.001 to 1") }
            logger.info("generating a year of the city at scale \(seed)")
            _ = try await CityWorkload(WorkloadConfiguration(scale: seed)).generate(into: opened)
            try await opened.sync()
        }
        let server = try await CityServer(store: opened, tokens: book, logger: logger)
        let port = port ?? ProcessInfo.processInfo.environment["PORT"].flatMap(Int.init) ?? 8080
        let host = host
        let services = server.services(host: host, port: port) { bound in
            // Written unbuffered: scripts and tests wait for this line.
            FileHandle.standardOutput.write(Data("CityService listening on http://\(host):\(bound)/  (dashboard: http://\(host):\(bound)/#token=auditor-token)\n".utf8))
        }
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        print("CityService stopped; read models saved at \(try await server.engine.position)")
    }

    /// Opens (creating when missing) the store at `location`.
    static func open(_ location: String) async throws -> any ReadModelStore {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            var configuration = try PostgresStoreConfiguration(url: location)
            configuration.createsSchema = true
            return try await PostgresEventStore.connect(configuration)
        }
        return try LMDBEventStore(path: location, access: .create)
    }
}
