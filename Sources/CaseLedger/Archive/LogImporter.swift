import Foundation

/// Imports an export file (``ArchiveFormat``) into a store, all or nothing.
///
/// Every line is checked as it is read: positions run 1, 2, 3…; each event's
/// fields give back its hash, chained from the one before; its readable
/// `data` agrees with its `payload`; a case event decodes as its type. The
/// trailer (count and head hash) must be there and agree, unless the caller
/// allows a file without one. Events the store already holds (the same
/// prefix of the log, proved by the hash at the store's head) are skipped;
/// the rest are appended in one transaction that commits only when every
/// line has passed and the log ends at the file's head hash. The signed
/// checkpoints the file carries are kept.
///
/// ```swift
/// let summary = try await LogImporter(store: store, registry: registry).importFile("city-2025.ndjson")
/// print(summary.added, summary.head.hash)
/// ```
public struct LogImporter: Sendable {
    let store: any ReadModelStore
    let registry: EventTypeRegistry
    /// Events per batch handed to the transaction.
    let batchSize: Int

    /// Creates an importer.
    public init(store: any ReadModelStore, registry: EventTypeRegistry, batchSize: Int = 4_096) {
        self.store = store
        self.registry = registry
        self.batchSize = max(1, batchSize)
    }

    /// What an import did.
    public struct Summary: Sendable, Hashable {
        /// Event lines in the file.
        public var events: UInt64
        /// Events the store held already.
        public var alreadyPresent: UInt64
        /// Events written.
        public var added: UInt64
        /// Signed checkpoints the file carried.
        public var checkpoints: Int
        /// The store's head after the import.
        public var head: LogHead
    }

    /// Imports a file.
    ///
    /// - Parameters:
    ///   - allowMissingTrailer: import a file without a trailer (an export
    ///     made before format 2, or one cut short at a line boundary).
    ///   - progress: called now and then with (lines read, events in the file when known).
    /// - Throws: ``EventStoreError``: `invalidArgument` naming the line and
    ///   what is wrong with it, or why the store and the file disagree; the
    ///   store's errors. Nothing is written then.
    public func importFile(_ path: String, allowMissingTrailer: Bool = false,
                           progress: (@Sendable (UInt64, UInt64?) -> Void)? = nil) async throws(EventStoreError) -> Summary {
        let tail = try ArchiveTail.read(path)
        guard tail.trailer != nil || allowMissingTrailer else {
            throw EventStoreError.invalidArgument("\(path) has no trailer line: it was cut short, or made before export format 2; nothing was written (allow a missing trailer to import it anyway)")
        }
        let start = try await store.head()
        if let trailer = tail.trailer, start.position > trailer.events {
            throw EventStoreError.invalidArgument("the store holds \(start.position) events, more than the file's \(trailer.events); nothing was written")
        }
        let expectedHead: LogHead? = try tail.trailer.map { (trailer) throws(EventStoreError) in
            guard trailer.events == trailer.headPosition else {
                throw EventStoreError.invalidArgument("the trailer counts \(trailer.events) events but ends at position \(trailer.headPosition)")
            }
            if trailer.events == 0 { return .empty }
            guard let hash = AuditHash(hex: trailer.headHash) else { throw EventStoreError.invalidArgument("the trailer's head hash is not 64 hex digits") }
            return LogHead(position: trailer.headPosition, hash: hash)
        }
        let reader = ArchiveReader(path: path, registry: registry, storeHead: start, batchSize: batchSize,
                                   total: tail.trailer?.events, progress: progress)
        let result: BulkAppendResult
        do {
            result = try await store.appendAll(expectingHead: expectedHead) {
                let pass = reader.pass()
                return AsyncThrowingStream { try await pass.next() }
            }
        } catch {
            throw error.code == .wrongExpectedVersion && error.stream == nil
                ? EventStoreError.invalidArgument("the imported log would not end at the file's head: \(error.message)") : error
        }
        var checkpoints = 0
        if !tail.checkpoints.isEmpty {
            let kept = try await SignedCheckpoint.stored(in: store)
            try await store.writeReadModels([try SignedCheckpoint.write(kept + tail.checkpoints)])
            checkpoints = tail.checkpoints.count
        }
        let head = try await store.head()
        let lines = reader.linesRead
        return Summary(events: lines, alreadyPresent: min(start.position, lines), added: result.events, checkpoints: checkpoints, head: head)
    }
}

/// The trailer and checkpoint lines at the end of an export file.
struct ArchiveTail {
    var trailer: ArchiveTrailer?
    var checkpoints: [SignedCheckpoint] = []

    /// Reads the lines after the last event line, from the end of the file.
    static func read(_ path: String) throws(EventStoreError) -> ArchiveTail {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw EventStoreError.invalidArgument("cannot read \(path)") }
        defer { try? handle.close() }
        var tail = ArchiveTail()
        var chunk = Data()
        var size: UInt64 = 0
        do {
            size = try handle.seekToEnd()
            var window: UInt64 = 1 << 16
            while true {
                let from = size > window ? size - window : 0
                try handle.seek(toOffset: from)
                chunk = try handle.read(upToCount: Int(size - from)) ?? Data()
                // Enough when the chunk starts inside an event line (or the file).
                let lines = chunk.split(separator: 0x0A)
                if from == 0 || lines.dropFirst().contains(where: { ArchiveLineKind.of($0) == .event }) || window >= 1 << 24 { break }
                window *= 4
            }
        } catch {
            throw EventStoreError.invalidArgument("cannot read \(path): \(error.localizedDescription)")
        }
        for line in chunk.split(separator: 0x0A).reversed() {
            switch ArchiveLineKind.of(line) {
            case .trailer:
                guard tail.trailer == nil, tail.checkpoints.isEmpty else {
                    throw EventStoreError.invalidArgument("\(path) has a trailer that is not its last line")
                }
                tail.trailer = try ArchiveLine.trailer(line)
            case .checkpoint:
                tail.checkpoints.insert(try ArchiveLine.checkpoint(line), at: 0)
            case .event, .other:
                return tail
            }
        }
        return tail
    }
}

/// What a line of an export file is, told from its first key.
enum ArchiveLineKind {
    case event, checkpoint, trailer, other

    static func of(_ line: some Collection<UInt8>) -> ArchiveLineKind {
        let start = Array(line.prefix(16))
        if start.starts(with: Array(#"{"trailer""#.utf8)) { return .trailer }
        if start.starts(with: Array(#"{"checkpoint""#.utf8)) { return .checkpoint }
        if start.first == UInt8(ascii: "{") { return .event }
        return .other
    }
}

/// Parsing one line of an export file.
enum ArchiveLine {
    static func object(_ line: some Collection<UInt8>, _ what: String) throws(EventStoreError) -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
            throw EventStoreError.invalidArgument("\(what) is not a JSON object")
        }
        return object
    }

    static func trailer(_ line: some Collection<UInt8>) throws(EventStoreError) -> ArchiveTrailer {
        let object = try object(line, "the trailer line")
        guard let t = object["trailer"] as? [String: Any], let events = (t["events"] as? NSNumber)?.uint64Value,
              let position = (t["headPosition"] as? NSNumber)?.uint64Value, let hash = t["headHash"] as? String,
              (t["format"] as? NSNumber)?.intValue == ArchiveFormat.version else {
            throw EventStoreError.invalidArgument("the trailer line is malformed or of another format")
        }
        return ArchiveTrailer(events: events, headPosition: position, headHash: hash)
    }

    static func checkpoint(_ line: some Collection<UInt8>) throws(EventStoreError) -> SignedCheckpoint {
        let object = try object(line, "a checkpoint line")
        guard let c = object["checkpoint"], let data = try? JSONSerialization.data(withJSONObject: c),
              let checkpoint = try? JSONDecoder().decode(SignedCheckpoint.self, from: data) else {
            throw EventStoreError.invalidArgument("a checkpoint line is malformed")
        }
        return checkpoint
    }

    /// An event line as the record it describes, checked against the hash
    /// chain and against itself (`data` against `payload`).
    static func event(_ line: some Collection<UInt8>, number: UInt64, expected position: UInt64, previous: AuditHash,
                      registry: EventTypeRegistry) throws(EventStoreError) -> (StreamAppend, AuditHash) {
        func bad(_ why: String) -> EventStoreError { .invalidArgument("line \(number): \(why); nothing was written") }
        let object = try object(line, "line \(number)")
        guard let p = (object["position"] as? NSNumber)?.uint64Value else { throw bad("no position") }
        guard p == position else { throw bad("holds position \(p) where \(position) was due (the chain is broken at position \(position))") }
        guard let streamText = object["stream"] as? String, let stream = try? StreamName(streamText) else { throw bad("no valid stream") }
        guard let version = (object["version"] as? NSNumber)?.uint64Value, version > 0 else { throw bad("no version") }
        guard let idText = object["eventId"] as? String, let id = UUID(uuidString: idText) else { throw bad("no event id") }
        guard let type = object["type"] as? String, AppendPlanner.typeNameProblem(type) == nil else { throw bad("no valid type") }
        guard let schema = (object["schemaVersion"] as? NSNumber)?.uint16Value, schema >= 1 else { throw bad("no schema version") }
        guard let recordedText = object["recordedAt"] as? String, let recordedAt = Timestamp(iso8601: recordedText) else { throw bad("no recordedAt") }
        guard let hashText = object["hash"] as? String, let hash = AuditHash(hex: hashText) else { throw bad("no hash") }
        guard let b64 = object["payload"] as? String, let payloadData = Data(base64Encoded: b64) else { throw bad("no payload (base64)") }
        let payload = Array(payloadData)
        var metadata = EventMetadata(recordedAt: recordedAt)
        guard let m = object["metadata"] as? [String: Any] else { throw bad("no metadata") }
        metadata.actor = m["actor"] as? String
        if let c = m["correlationId"] { guard let id = (c as? String).flatMap(UUID.init(uuidString:)) else { throw bad("a malformed correlationId") }; metadata.correlationID = id }
        if let c = m["causationId"] { guard let id = (c as? String).flatMap(UUID.init(uuidString:)) else { throw bad("a malformed causationId") }; metadata.causationID = id }
        guard let properties = (m["properties"] ?? [String: String]()) as? [String: String] else { throw bad("metadata properties that are not text") }
        metadata.properties = properties
        // What is hashed is what is read: the readable data must say what the payload says.
        if registry.schemaVersion(of: type) == schema {
            do throws(CodecError) { _ = try registry.decode(type: type, schemaVersion: schema, payload: payload) } catch {
                throw bad("its \(type) payload does not decode (\(error.message))")
            }
        }
        let derived = ArchiveFormat.data(type: type, schemaVersion: schema, payload: payload, registry: registry)
        guard let given = object["data"], let expected = try? JSONSerialization.jsonObject(with: Data(derived), options: [.fragmentsAllowed]),
              NSObjectEquality.equal(given, expected) else {
            throw bad("its data disagrees with its payload (the hash covers the payload, not data)")
        }
        let event = EventData(id: id, type: type, schemaVersion: schema, payload: payload, metadata: metadata)
        let stored = RecordFormat.storedValue(position: p, stream: stream.value, streamVersion: version, event: event,
                                              recordedAt: recordedAt, previous: previous)
        let computed = AuditHash(trusted: Array(stored.suffix(RecordFormat.hashSize)))
        guard computed == hash else { throw bad("its fields do not give its hash (the chain is broken at position \(p))") }
        return (StreamAppend(stream: stream, expectedVersion: .exact(version - 1), events: [event]), hash)
    }
}

/// Structural equality of JSON values as `JSONSerialization` returns them.
enum NSObjectEquality {
    static func equal(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        case let (x as [Any], y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case let (x as String, y as String):
            return x == y
        case let (x as NSNumber, y as NSNumber):
            return x == y
        case (is NSNull, is NSNull):
            return true
        default:
            return false
        }
    }
}

/// Reads an export file's event lines in batches, checking each, for one
/// transaction; the next batch is parsed while the store writes the last.
final class ArchiveReader: Sendable {
    let path: String
    let registry: EventTypeRegistry
    let storeHead: LogHead
    let batchSize: Int
    let total: UInt64?
    let progress: (@Sendable (UInt64, UInt64?) -> Void)?
    private let read = Locked<UInt64>(0)

    init(path: String, registry: EventTypeRegistry, storeHead: LogHead, batchSize: Int, total: UInt64?,
         progress: (@Sendable (UInt64, UInt64?) -> Void)?) {
        self.path = path
        self.registry = registry
        self.storeHead = storeHead
        self.batchSize = batchSize
        self.total = total
        self.progress = progress
    }

    /// Event lines read by the last pass.
    var linesRead: UInt64 { read.withLock { $0 } }

    /// A fresh pass over the file (the store may run its transaction again).
    func pass() -> ArchivePass {
        ArchivePass(reader: self)
    }

    fileprivate func finished(_ lines: UInt64) {
        read.withLock { $0 = lines }
    }
}

/// One pass over an export file's event lines.
actor ArchivePass {
    let reader: ArchiveReader
    private var lines: LineReader?
    private var number: UInt64 = 0
    private var position: UInt64 = 0
    private var previous = AuditHash.genesis
    private var ahead: Task<[StreamAppend]?, any Error>?

    init(reader: ArchiveReader) {
        self.reader = reader
    }

    /// The next batch of events to append, or `nil` at the end.
    func next() async throws -> [StreamAppend]? {
        let current = ahead ?? Task { try self.batch() }
        let batch = try await current.value
        ahead = batch == nil ? nil : Task { try self.batch() }
        return batch
    }

    private func batch() throws -> [StreamAppend]? {
        if lines == nil { lines = try LineReader(path: reader.path) }
        var out: [StreamAppend] = []
        while out.count < reader.batchSize, let line = try lines?.next() {
            number += 1
            switch ArchiveLineKind.of(line) {
            case .event:
                let (append, hash) = try ArchiveLine.event(line, number: number, expected: position + 1, previous: previous, registry: reader.registry)
                position += 1
                previous = hash
                if position == reader.storeHead.position, hash != reader.storeHead.hash {
                    throw EventStoreError.invalidArgument("the store's log differs from the file at or before position \(position); nothing was written")
                }
                if position > reader.storeHead.position { out.append(append) }
            case .checkpoint, .trailer:
                continue
            case .other:
                throw EventStoreError.invalidArgument("line \(number) is not a JSON object; nothing was written")
            }
        }
        if position % 50_000 < UInt64(out.count) { reader.progress?(position, reader.total) }
        if out.isEmpty {
            guard position >= reader.storeHead.position else {
                throw EventStoreError.invalidArgument("the store holds \(reader.storeHead.position) events, more than the file's \(position); nothing was written")
            }
            reader.finished(position)
            return nil
        }
        return out
    }
}

/// Reads a file line by line in constant memory.
final class LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var done = false

    init(path: String) throws(EventStoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw EventStoreError.invalidArgument("cannot read \(path)") }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// The next non-empty line, without its newline; `nil` at the end.
    func next() throws(EventStoreError) -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                start = newline + 1
                if line.isEmpty { continue }
                return line
            }
            if done {
                guard start < buffer.count else { return nil }
                defer { start = buffer.count }
                return buffer[start...]
            }
            buffer.removeFirst(start)
            start = 0
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw EventStoreError.storage("cannot read the file: \(error.localizedDescription)")
            }
            if chunk.isEmpty { done = true } else { buffer += chunk }
        }
    }
}
