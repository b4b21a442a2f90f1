import CaseLedger
import Logging
import PostgresNIO

/// One leader across replicas: a PostgreSQL session advisory lock, held on
/// a connection of its own for as long as this process leads.
///
/// Every process that runs the same projections against one store asks for
/// the same lock; one gets it and follows, the others stand by and ask again
/// every ``retryInterval``. When the leader dies, PostgreSQL ends its session
/// and frees the lock, and one of the others takes over, resuming from the
/// saved checkpoints. The leader checks its connection every
/// ``checkInterval``: when it is gone, so is the lock, and the leader stops
/// folding at once.
///
/// ```swift
/// let store = try await PostgresEventStore.connect(configuration)
/// let engine = ProjectionEngine(store: store, registry: registry)
/// try await engine.register(TicketBoardProjection())
/// try await engine.follow(leadership: PostgresLeadership(store: store), name: "city-read-models")
/// ```
public struct PostgresLeadership: ProjectionLeadership {
    private let storage: PostgresStorage
    /// How often a process standing by asks for the lock. Half a second by default.
    public var retryInterval: Duration
    /// How often the leader checks that its connection, and so its lock, is alive.
    public var checkInterval: Duration

    /// Leadership among the processes that share `store`'s schema.
    public init(store: PostgresEventStore, retryInterval: Duration = .milliseconds(500), checkInterval: Duration = .seconds(1)) {
        self.storage = store.storage
        self.retryInterval = retryInterval
        self.checkInterval = checkInterval
    }

    /// The advisory lock's key: FNV-1a (64 bits) of the schema and the
    /// name, so that stores in other schemas do not contend.
    static func lockKey(schema: String, name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "caseledger-leader\u{0}\(schema)\u{0}\(name)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    private enum Term: Sendable { case ended, lost }

    public func lead(_ name: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let key = Self.lockKey(schema: storage.schema, name: name)
        let logger = storage.logger
        let retryInterval = self.retryInterval, checkInterval = self.checkInterval
        while true {
            try Task.checkCancellation()
            let term: Term
            do {
                term = try await storage.client.withConnection { connection in
                    while try await !Self.tryLock(connection, key: key, logger: logger) {
                        try await Task.sleep(for: retryInterval)
                    }
                    logger.info("leading", metadata: ["name": "\(name)"])
                    let term: Term
                    do {
                        term = try await Self.hold(connection, body: body, every: checkInterval, logger: logger)
                    } catch {
                        _ = try? await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
                        throw error
                    }
                    if term == .ended { _ = try? await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger) }
                    return term
                }
            } catch let error as PSQLError where !Task.isCancelled {
                // The server went away while standing by: ask again.
                logger.warning("leadership: the server is unreachable; trying again", metadata: ["error": "\(error)"])
                try await Task.sleep(for: retryInterval)
                continue
            }
            switch term {
            case .ended: return
            case .lost: logger.warning("leadership lost; standing by", metadata: ["name": "\(name)"])
            }
        }
    }

    private static func tryLock(_ connection: PostgresConnection, key: Int64, logger: Logger) async throws -> Bool {
        let rows = try await connection.query("SELECT pg_try_advisory_lock(\(key))", logger: logger)
        for try await held in rows.decode(Bool.self) { return held }
        return false
    }

    /// Runs `body` while the connection answers; `.lost` when it stopped
    /// answering (the lock went with it), `.ended` when `body` returned.
    private static func hold(_ connection: PostgresConnection, body: @escaping @Sendable () async throws -> Void,
                             every checkInterval: Duration, logger: Logger) async throws -> Term {
        try await withThrowingTaskGroup(of: Term.self) { group in
            group.addTask {
                try await body()
                return .ended
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: checkInterval)
                    do {
                        _ = try await connection.query("SELECT 1", logger: logger)
                    } catch {
                        return .lost
                    }
                }
            }
            let first = try await group.next() ?? .ended
            group.cancelAll()
            if first == .lost {
                // Let the body stop (and save what it can) before standing by.
                while let _ = try? await group.next() {}
            }
            return first
        }
    }
}
