import CaseLedger
import CaseLedgerService
import CaseManagement
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import ServiceLifecycle

/// The city's case service: the store, the projection engine following the
/// four city read models live, and the HTTP API and dashboard over them.
///
/// ```swift
/// let server = try await CityServer(store: store, tokens: .demo())
/// let group = ServiceGroup(configuration: .init(
///     services: server.services(host: "127.0.0.1", port: 8080),
///     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
/// try await group.run()
/// ```
struct CityServer: Sendable {
    let store: any ReadModelStore
    let engine: ProjectionEngine
    let desk: CaseDesk
    let tokens: TokenBook
    let publicFolder: String
    let logger: Logger
    /// The event feeds open now.
    let feeds = FeedCount()

    /// Registers the city read models on a new engine over `store` (loading
    /// what is saved); nothing runs until ``services(host:port:onRunning:)``
    /// are run.
    init(store: any ReadModelStore, tokens: TokenBook, options: ProjectionOptions = ProjectionOptions(), logger: Logger = Logger(label: "city-service")) async throws {
        self.store = store
        self.tokens = tokens
        self.logger = logger
        let registry = CaseEvents.registry()
        desk = CaseDesk(store: store, registry: registry)
        engine = ProjectionEngine(store: store, registry: registry, options: options, logger: logger)
        for projection in CityProjections.all { try await engine.register(projection) }
        publicFolder = Bundle.module.resourceURL?.appendingPathComponent("Public").path ?? "Public"
    }

    /// The routes: `/api/…` and the dashboard's files at `/`.
    func router() -> Router<CityContext> {
        let router = Router(context: CityContext.self)
        router.add(middleware: FileMiddleware(publicFolder, searchForIndexHtml: true, logger: logger))
        let api = router.group("api")
            .add(middleware: ErrorMapping<CityContext>())
            .add(middleware: TokenAuthenticator(tokens: tokens))
        api.get("whoami") { _, context in JSON.response(try context.caller()) }
        addTicketRoutes(to: api)
        addCaseRoutes(to: api)
        addQueryRoutes(to: api)
        addFeedRoute(to: api)
        return router
    }

    /// The services to run in one group, in start order: the store, the
    /// engine, the HTTP server. A graceful shutdown stops them in reverse:
    /// the server stops taking requests, the engine folds what was committed
    /// and saves, the store closes.
    func services(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> [any Service] {
        let app = Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "caseledger-city"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
                              logger: logger)
        return [EventStoreService(store, logger: logger), engine, app]
    }

    /// Metadata for a command's events: who did it.
    func metadata(_ caller: Principal) -> EventMetadata {
        EventMetadata(actor: "\(caller.role.rawValue):\(caller.id)")
    }
}

/// How many event feeds are open: for the status of the service, and for
/// tests that must know a browser is following before they append.
actor FeedCount {
    private(set) var open = 0

    func opened() { open += 1 }
    func closed() { open -= 1 }
}
