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
    ///   - path: the export file to read.
    ///   - allowMissingTrailer: import a file without a trailer (an export
    ///     made before format 2, or one cut short at a line boundary).
    ///   - transactionSize: `nil` (the default) appends everything in one
    ///     transaction: all or nothing. A number of events commits in
    ///     transactions of about that many, which is faster for large files
    ///     (LMDB slows down once one transaction's changes pass what it keeps
    ///     in memory) but leaves the events before a failure in the store:
    ///     only for a store nobody else sees yet, removed when the import
    ///     fails (what `caseledger import --create` does).
    ///   - progress: called now and then with (lines read, events in the file when known).
    /// - Throws: ``EventStoreError``: `invalidArgument` naming the line and
    ///   what is wrong with it, or why the store and the file disagree; the
    ///   store's errors. Nothing is written then.
    public func importFile(_ path: String, allowMissingTrailer: Bool = false, transactionSize: Int? = nil,
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
            if let transactionSize {
                result = try await chunked(reader, size: max(1, transactionSize), expectedHead: expectedHead)
            } else {
                result = try await store.appendAll(expectingHead: expectedHead) {
                    let pass = reader.pass()
                    return AsyncThrowingStream { try await pass.next() }
                }
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

extension LogImporter {
    /// Appends the file's events in transactions of about `size` events,
    /// each kept in memory until it commits (so a transaction the store runs
    /// again sees the same batches); the last must end at the file's head.
    func chunked(_ reader: ArchiveReader, size: Int, expectedHead: LogHead?) async throws(EventStoreError) -> BulkAppendResult {
        let pass = reader.pass()
        /// The next transaction's batches: read (and parsed) while the store writes the one before.
        @Sendable func read() async throws -> (batches: [[StreamAppend]], count: Int) {
            var batches: [[StreamAppend]] = []
            var count = 0
            while count < size, let batch = try await pass.next() {
                batches.append(batch)
                count += batch.count
            }
            return (batches, count)
        }
        var total = BulkAppendResult(events: 0, firstPosition: nil, lastPosition: nil)
        var next = Task(executorPreference: globalConcurrentExecutor) { try await read() }
        while true {
            let chunk: (batches: [[StreamAppend]], count: Int)
            do { chunk = try await next.value } catch { throw EventStoreError.wrapping(error) }
            let done = chunk.count < size
            if !done { next = Task(executorPreference: globalConcurrentExecutor) { try await read() } }
            let batches = chunk.batches
            let result: BulkAppendResult
            do {
                result = try await store.appendAll(expectingHead: done ? expectedHead : nil) {
                    AsyncThrowingStream { continuation in
                        for batch in batches { continuation.yield(batch) }
                        continuation.finish()
                    }
                }
            } catch {
                next.cancel()
                throw error
            }
            total.events += result.events
            total.firstPosition = total.firstPosition ?? result.firstPosition
            total.lastPosition = result.lastPosition ?? total.lastPosition
            if done { return total }
        }
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

/// Parsing one line of an export file (with the strict parser generated
/// event codecs use: a key given twice, a lone surrogate or trailing text is
/// an error).
enum ArchiveLine {
    static func object(_ line: some Collection<UInt8>, _ what: String) throws(EventStoreError) -> JSONMembers {
        let value: JSONValue
        do throws(CodecError) { value = try JSONValue.parse(line) } catch {
            throw EventStoreError.invalidArgument("\(what) is not JSON: \(error.message)")
        }
        guard case .object(let members) = value else { throw EventStoreError.invalidArgument("\(what) is not a JSON object") }
        return members
    }

    static func trailer(_ line: some Collection<UInt8>) throws(EventStoreError) -> ArchiveTrailer {
        let object = try object(line, "the trailer line")
        guard case .object(let t)? = object["trailer"], object.count == 1,
              case .integer(let events)? = t["events"], events >= 0,
              case .integer(let position)? = t["headPosition"], position >= 0,
              case .string(let hash)? = t["headHash"],
              t["format"] == .integer(Int64(ArchiveFormat.version)) else {
            throw EventStoreError.invalidArgument("the trailer line is malformed or of another format")
        }
        return ArchiveTrailer(events: UInt64(events), headPosition: UInt64(position), headHash: hash)
    }

    static func checkpoint(_ line: some Collection<UInt8>) throws(EventStoreError) -> SignedCheckpoint {
        let object = try object(line, "a checkpoint line")
        guard let c = object["checkpoint"], object.count == 1 else { throw EventStoreError.invalidArgument("a checkpoint line is malformed") }
        var text = JSONText()
        text.value(c)
        guard let checkpoint = try? JSONDecoder().decode(SignedCheckpoint.self, from: Data(text.bytes)) else {
            throw EventStoreError.invalidArgument("a checkpoint line is malformed")
        }
        return checkpoint
    }

    /// An event line, parsed and checked against itself: every field there
    /// and well formed, its readable `data` saying what its `payload` says.
    /// The chain is checked by ``ArchiveEvent/follows(_:at:)``.
    static func event(_ line: some Collection<UInt8>, number: UInt64, registry: EventTypeRegistry) throws(EventStoreError) -> ArchiveEvent {
        func bad(_ why: String) -> EventStoreError { .invalidArgument("line \(number): \(why); nothing was written") }
        let object = try object(line, "line \(number)")
        func text(_ key: String) -> String? {
            if case .string(let s)? = object[key] { return s }
            return nil
        }
        func count(_ key: String) -> UInt64? {
            if case .integer(let n)? = object[key], n >= 0 { return UInt64(n) }
            return nil
        }
        guard let position = count("position"), position > 0 else { throw bad("no position") }
        guard let streamText = text("stream"), let stream = try? StreamName(streamText) else { throw bad("no valid stream") }
        guard let version = count("version"), version > 0 else { throw bad("no version") }
        guard let id = text("eventId").flatMap({ UUID(text: $0) }) else { throw bad("no event id") }
        guard let type = text("type"), AppendPlanner.typeNameProblem(type) == nil else { throw bad("no valid type") }
        guard let schema = count("schemaVersion"), schema >= 1, schema <= UInt64(UInt16.max) else { throw bad("no schema version") }
        guard let recordedAt = text("recordedAt").flatMap({ Timestamp(iso8601: $0) }) else { throw bad("no recordedAt") }
        guard let hash = text("hash").flatMap({ AuditHash(hex: $0) }) else { throw bad("no hash") }
        guard let b64 = text("payload"), let payloadData = Data(base64Encoded: b64) else { throw bad("no payload (base64)") }
        let payload = Array(payloadData)
        guard case .object(let m)? = object["metadata"] else { throw bad("no metadata") }
        var metadata = EventMetadata(recordedAt: recordedAt)
        for (key, value) in m {
            switch (key, value) {
            case ("actor", .string(let a)): metadata.actor = a
            case ("correlationId", .string(let c)):
                guard let id = UUID(text: c) else { throw bad("a malformed correlationId") }
                metadata.correlationID = id
            case ("causationId", .string(let c)):
                guard let id = UUID(text: c) else { throw bad("a malformed causationId") }
                metadata.causationID = id
            case ("properties", .object(let properties)):
                for (k, v) in properties {
                    guard case .string(let text) = v else { throw bad("metadata properties that are not text") }
                    metadata.properties[k] = text
                }
            default: throw bad("metadata \"\(key)\" that is not what an export writes")
            }
        }
        guard let data = object["data"] else { throw bad("no data") }
        try checkData(data, payload: payload, type: type, schemaVersion: UInt16(schema), registry: registry, bad: bad)
        let event = EventData(id: id, type: type, schemaVersion: UInt16(schema), payload: payload, metadata: metadata)
        let canonical = RecordFormat.canonical(position: position, stream: stream.value, streamVersion: version, event: event, recordedAt: recordedAt)
        return ArchiveEvent(number: number, position: position, hash: hash, canonical: canonical,
                            append: StreamAppend(stream: stream, expectedVersion: .exact(version - 1), events: [event]))
    }

    /// What is hashed is what is read: the readable `data` must say what the
    /// payload (which the hash covers) says, as ``ArchiveFormat/data(type:schemaVersion:payload:registry:)``
    /// writes it.
    static func checkData(_ data: JSONValue, payload: [UInt8], type: String, schemaVersion: UInt16, registry: EventTypeRegistry,
                          bad: (String) -> EventStoreError) throws(EventStoreError) {
        let disagrees = "its data disagrees with its payload (the hash covers the payload, not data)"
        if registry.schemaVersion(of: type) == schemaVersion {
            // A case event: its data, encoded, must be the payload.
            if (try? registry.payload(type: type, schemaVersion: schemaVersion, json: data)) == payload { return }
            do throws(CodecError) { _ = try registry.decode(type: type, schemaVersion: schemaVersion, payload: payload) } catch {
                throw bad("its \(type) payload does not decode (\(error.message))")
            }
            throw bad(disagrees)
        }
        if let json = ArchiveFormat.jsonPayload(payload) {
            guard data == json else { throw bad(disagrees) }
            return
        }
        guard case .object(let members) = data, members.count == 1, case .string(let b64)? = members["base64"],
              let decoded = Data(base64Encoded: b64), Array(decoded) == payload else {
            throw bad(disagrees)
        }
    }
}

/// An export file's event line, parsed.
struct ArchiveEvent: Sendable {
    /// The line number in the file.
    var number: UInt64
    var position: UInt64
    /// The hash the line gives.
    var hash: AuditHash
    /// The record's canonical bytes, rebuilt from the line's fields.
    var canonical: [UInt8]
    var append: StreamAppend

    /// Checks the line continues the chain: the position due, and the hash
    /// its fields give after `previous`.
    func follows(_ previous: AuditHash, at expected: UInt64) throws(EventStoreError) {
        guard position == expected else {
            throw EventStoreError.invalidArgument("line \(number): holds position \(position) where \(expected) was due (the chain is broken at position \(expected)); nothing was written")
        }
        let computed = canonical.withUnsafeBytes { RecordFormat.chain(previous, $0) }
        guard computed == hash else {
            throw EventStoreError.invalidArgument("line \(number): its fields do not give its hash (the chain is broken at position \(position)); nothing was written")
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

/// One pass over an export file's event lines: each batch is parsed on
/// every core (away from the store's writer thread), then checked against
/// the chain in order, while the store writes the batch before.
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
        let current = ahead ?? Task(executorPreference: globalConcurrentExecutor) { try await self.batch() }
        let batch = try await current.value
        ahead = batch == nil ? nil : Task(executorPreference: globalConcurrentExecutor) { try await self.batch() }
        return batch
    }

    /// The next event lines of the file, with their line numbers.
    private func readLines() throws -> [(UInt64, [UInt8])] {
        if lines == nil { lines = try LineReader(path: reader.path) }
        var out: [(UInt64, [UInt8])] = []
        out.reserveCapacity(reader.batchSize)
        while out.count < reader.batchSize, let line = try lines?.next() {
            number += 1
            switch ArchiveLineKind.of(line) {
            case .event: out.append((number, Array(line)))
            case .checkpoint, .trailer: continue
            case .other: throw EventStoreError.invalidArgument("line \(number) is not a JSON object; nothing was written")
            }
        }
        return out
    }

    private func batch() async throws -> [StreamAppend]? {
        while true {
            let lines = try readLines()
            if lines.isEmpty {
                guard position >= reader.storeHead.position else {
                    throw EventStoreError.invalidArgument("the store holds \(reader.storeHead.position) events, more than the file's \(position); nothing was written")
                }
                reader.finished(position)
                return nil
            }
            let out = try await check(lines)
            reader.progress?(position, reader.total)
            // Lines the store holds already give nothing to append: read on.
            if !out.isEmpty { return out }
        }
    }

    /// Parses lines on every core, then checks them against the chain in order.
    private func check(_ lines: [(UInt64, [UInt8])]) async throws -> [StreamAppend] {
        let registry = reader.registry
        // Parsed in order-keeping chunks, one per core; each chunk stops at its first bad line.
        let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount, lines.count / 256))
        let size = (lines.count + chunks - 1) / max(chunks, 1)
        let parsed = await withTaskGroup(of: (Int, [ArchiveEvent], EventStoreError?).self) { group in
            for c in 0..<chunks {
                let part = Array(lines[min(c * size, lines.count)..<min((c + 1) * size, lines.count)])
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    var events: [ArchiveEvent] = []
                    events.reserveCapacity(part.count)
                    for (number, line) in part {
                        do throws(EventStoreError) {
                            events.append(try ArchiveLine.event(line, number: number, registry: registry))
                        } catch {
                            return (c, events, error)
                        }
                    }
                    return (c, events, nil)
                }
            }
            var all: [(Int, [ArchiveEvent], EventStoreError?)] = []
            for await result in group { all.append(result) }
            return all.sorted { $0.0 < $1.0 }
        }
        var out: [StreamAppend] = []
        out.reserveCapacity(lines.count)
        let storeHead = reader.storeHead
        for (_, events, failure) in parsed {
            for event in events {
                try event.follows(previous, at: position + 1)
                position += 1
                previous = event.hash
                if position == storeHead.position, previous != storeHead.hash {
                    throw EventStoreError.invalidArgument("the store's log differs from the file at or before position \(position); nothing was written")
                }
                if position > storeHead.position { out.append(event.append) }
            }
            if let failure { throw failure }
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
