import CaseLedger
import Logging
import PostgresNIO

/// One leader across replicas: a PostgreSQL session advisory lock, held on
/// a connection of its own (outside the store's pool) for as long as this
/// process leads.
///
/// Every process that runs the same projections against one store asks for
/// the same lock; one gets it and follows, the others stand by and ask again
/// every ``retryInterval``. When the leader dies, PostgreSQL ends its session
/// and frees the lock, and one of the others takes over, resuming from the
/// saved checkpoints. The leader checks its connection every
/// ``checkInterval`` (a check that gets no answer within three intervals
/// counts as a lost connection); when it is gone, so is the lock: the leader
/// stops following, closes the connection and stands by again.
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

    /// How a term (or the wait for one) ended.
    private enum Term: Sendable { case ended, lost }

    public func lead(_ name: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let key = Self.lockKey(schema: storage.schema, name: name)
        let logger = storage.logger
        while true {
            try Task.checkCancellation()
            let connection: PostgresConnection
            do {
                connection = try await PostgresConnection.connect(configuration: storage.connectionConfiguration, id: 1, logger: logger)
            } catch {
                try Task.checkCancellation()
                logger.warning("leadership: cannot reach the server; trying again", metadata: ["error": "\(error)"])
                try await Task.sleep(for: retryInterval)
                continue
            }
            let term: Term
            do {
                term = try await self.term(on: connection, key: key, name: name, body: body, logger: logger)
            } catch {
                // The body failed, or the task was cancelled: closing the
                // session releases the lock.
                try? await connection.close()
                throw error
            }
            try? await connection.close()
            switch term {
            case .ended: return
            case .lost: logger.warning("leadership lost; standing by", metadata: ["name": "\(name)"])
            }
        }
    }

    /// Waits for the lock on `connection`, then runs `body` while the
    /// connection answers.
    private func term(on connection: PostgresConnection, key: Int64, name: String,
                      body: @escaping @Sendable () async throws -> Void, logger: Logger) async throws -> Term {
        while true {
            let held: Bool
            do {
                held = try await Self.tryLock(connection, key: key, logger: logger)
            } catch {
                try Task.checkCancellation()
                return .lost
            }
            if held { break }
            try await Task.sleep(for: retryInterval)
        }
        logger.info("leading", metadata: ["name": "\(name)"])
        let checkInterval = self.checkInterval
        return try await withThrowingTaskGroup(of: Term.self) { group in
            group.addTask {
                try await body()
                return .ended
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: checkInterval)
                    guard await Self.answers(connection, within: checkInterval * 3, logger: logger) else { return .lost }
                }
            }
            let first = try await group.next() ?? .ended
            group.cancelAll()
            if first == .lost {
                // Let the body stop before standing by; its own failure no
                // longer matters once the lease is gone.
                while true {
                    do {
                        guard try await group.next() != nil else { break }
                    } catch {
                        logger.debug("leadership: the term ended with an error", metadata: ["error": "\(error)"])
                    }
                }
            }
            return first
        }
    }

    private static func tryLock(_ connection: PostgresConnection, key: Int64, logger: Logger) async throws -> Bool {
        let rows = try await connection.query("SELECT pg_try_advisory_lock(\(key))", logger: logger)
        for try await held in rows.decode(Bool.self) { return held }
        return false
    }

    /// Whether `SELECT 1` answers within `timeout`.
    private static func answers(_ connection: PostgresConnection, within timeout: Duration, logger: Logger) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    _ = try await connection.query("SELECT 1", logger: logger)
                    return true
                } catch {
                    return false
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            // A query stuck on a half-open connection ends when it closes.
            if !first { try? await connection.close() }
            group.cancelAll()
            return first
        }
    }
}
