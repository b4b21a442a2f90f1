import Foundation

/// The error every ``EventStore`` operation throws.
///
/// A struct wrapping an extensible ``Code`` so that new kinds of failure can be
/// added without breaking callers; the fields that apply to a code are set,
/// the others are `nil`. A failed append never writes anything.
///
/// ```swift
/// do {
///     _ = try await store.append(events, to: stream, expectedVersion: .exact(3))
/// } catch {
///     if error.code == .wrongExpectedVersion { print("stream is at \(error.actualVersion ?? 0)") }
/// }
/// ```
public struct EventStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case wrongExpectedVersion = "wrong expected version"
            case eventIDReused = "event id reused"
            case invalidStreamName = "invalid stream name"
            case emptyBatch = "empty batch"
            case payloadTooLarge = "payload too large"
            case storeClosed = "store closed"
            case storage = "storage failure"
            case invalidArgument = "invalid argument"
            case projectionRejected = "rejected by an inline projection"
            case corrupted = "stored data corrupted"
            case noSpace = "no space left"
            case readOnly = "store is read-only"
            case readModelConflict = "read model saved by another writer"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The stream's version differs from the expected version.
        public static let wrongExpectedVersion = Code(.wrongExpectedVersion)
        /// An event id is already stored with other content, or a batch mixes
        /// stored and new ids, or repeats an id.
        public static let eventIDReused = Code(.eventIDReused)
        /// A stream name is empty, too long or contains a control character.
        public static let invalidStreamName = Code(.invalidStreamName)
        /// An append carried no events.
        public static let emptyBatch = Code(.emptyBatch)
        /// An event's payload is larger than the configured limit.
        public static let payloadTooLarge = Code(.payloadTooLarge)
        /// The store was closed.
        public static let storeClosed = Code(.storeClosed)
        /// The storage engine failed; ``EventStoreError/message`` carries its message.
        public static let storage = Code(.storage)
        /// An argument was out of range (a zero limit, a version of 0 to read from...).
        public static let invalidArgument = Code(.invalidArgument)
        /// An inline projection could not fold the appended events; nothing was written.
        public static let projectionRejected = Code(.projectionRejected)
        /// Stored bytes are damaged or disagree with each other (a record
        /// that does not parse, a gap, an index pointing at the wrong record);
        /// ``EventStoreError/position`` names the place when it is known.
        public static let corrupted = Code(.corrupted)
        /// The disk (or the database server's disk) is full; nothing of the
        /// failed operation was written.
        public static let noSpace = Code(.noSpace)
        /// A write was asked of a store opened read-only.
        public static let readOnly = Code(.readOnly)
        /// A read-model slot does not hold the checkpoint a write required
        /// (``ReadModelWrite/requireCheckpoint(slot:_:)``): another writer
        /// saved it since; nothing was written.
        public static let readModelConflict = Code(.readModelConflict)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for people.
    public var message: String
    /// The stream concerned, when there is one.
    public var stream: String?
    /// The expected version of a failed append.
    public var expectedVersion: ExpectedVersion?
    /// The stream's actual version when an expected version did not match (0: no stream).
    public var actualVersion: UInt64?
    /// The event id concerned.
    public var eventID: UUID?
    /// The position concerned (the stored event with a reused id).
    public var position: UInt64?
    /// The storage engine's own code, when the failure came from it.
    public var engineCode: StorageEngineCode?

    /// Creates an error. Prefer the static constructors.
    public init(
        code: Code,
        message: String,
        stream: String? = nil,
        expectedVersion: ExpectedVersion? = nil,
        actualVersion: UInt64? = nil,
        eventID: UUID? = nil,
        position: UInt64? = nil,
        engineCode: StorageEngineCode? = nil
    ) {
        self.code = code
        self.message = message
        self.stream = stream
        self.expectedVersion = expectedVersion
        self.actualVersion = actualVersion
        self.eventID = eventID
        self.position = position
        self.engineCode = engineCode
    }

    public var description: String { "\(code): \(message)" }

    /// The stream's version did not satisfy the expected version.
    public static func wrongExpectedVersion(stream: String, expected: ExpectedVersion, actual: UInt64) -> Self {
        EventStoreError(
            code: .wrongExpectedVersion,
            message: "stream '\(stream)' was expected at version \(expected) but is at \(actual == 0 ? "no-stream" : String(actual))",
            stream: stream, expectedVersion: expected, actualVersion: actual
        )
    }

    /// An event id is stored with other content or misused in a batch.
    public static func eventIDReused(_ id: UUID, position: UInt64?, reason: String) -> Self {
        EventStoreError(code: .eventIDReused, message: "event id \(id.uuidString): \(reason)", eventID: id, position: position)
    }

    /// A stream name failed validation.
    public static func invalidStreamName(_ name: String, reason: String) -> Self {
        EventStoreError(code: .invalidStreamName, message: "invalid stream name: \(reason)", stream: name)
    }

    /// An append had no events.
    public static func emptyBatch(stream: String?) -> Self {
        EventStoreError(
            code: .emptyBatch,
            message: stream.map { "the append to stream '\($0)' has no events" } ?? "the append has no events",
            stream: stream
        )
    }

    /// A payload was over the limit.
    public static func payloadTooLarge(_ id: UUID, size: Int, limit: Int) -> Self {
        EventStoreError(code: .payloadTooLarge, message: "event \(id.uuidString) has a payload of \(size) bytes; the limit is \(limit)", eventID: id)
    }

    /// The store is closed.
    public static var storeClosed: Self {
        EventStoreError(code: .storeClosed, message: "the store is closed")
    }

    /// A slot that does not hold the checkpoint a write required.
    public static func readModelConflict(slot: String, required: UInt64?, held: UInt64?) -> Self {
        EventStoreError(code: .readModelConflict,
                        message: "read model \(slot) was saved by another writer: it holds \(held.map { "checkpoint \($0)" } ?? "nothing"), not \(required.map { "checkpoint \($0)" } ?? "nothing")")
    }

    /// The storage engine failed.
    public static func storage(_ message: String, engineCode: StorageEngineCode? = nil) -> Self {
        EventStoreError(code: .storage, message: message, engineCode: engineCode)
    }

    /// `error` as a store error: itself when it is one, else a storage failure.
    static func wrapping(_ error: any Error) -> EventStoreError {
        if let error = error as? EventStoreError { return error }
        if let error = error as? CodecError { return .storage(error.message) }
        if let error = error as? RecordFormatError { return .corrupted(error.message) }
        return .storage("\(error)")
    }

    /// Stored data is damaged at or after a position.
    public static func corrupted(_ message: String, position: UInt64? = nil, engineCode: StorageEngineCode? = nil) -> Self {
        EventStoreError(code: .corrupted, message: message, position: position, engineCode: engineCode)
    }

    /// An argument was out of range.
    public static func invalidArgument(_ message: String) -> Self {
        EventStoreError(code: .invalidArgument, message: message)
    }
}

/// A storage engine's own error code, kept typed beside the store's error.
///
/// ```swift
/// if case .lmdb(let code) = error.engineCode, code == -30792 { print("map full") }
/// ```
public enum StorageEngineCode: Hashable, Sendable, CustomStringConvertible {
    /// An LMDB return code (`MDB_*`, or an `errno` value LMDB passed on).
    case lmdb(Int32)
    /// A PostgreSQL SQLSTATE code, such as `40001`.
    case postgres(sqlState: String)
    /// An operating-system `errno` value.
    case posix(Int32)

    public var description: String {
        switch self {
        case .lmdb(let code): return "LMDB \(code)"
        case .postgres(let state): return "SQLSTATE \(state)"
        case .posix(let code): return "errno \(code)"
        }
    }
}
