import Foundation

/// Writes a store's log to an export file (``ArchiveFormat``): every event,
/// the signed checkpoints the store keeps, and a trailer.
///
/// The file is written beside its final name and renamed into place at the
/// end, so a failure (a full disk) leaves no half-written export.
///
/// ```swift
/// let trailer = try await LogExporter(store: store, registry: registry).export(to: "city-2025.ndjson")
/// print(trailer.events, trailer.headHash)
/// ```
public struct LogExporter: Sendable {
    let store: any ReadModelStore
    let registry: EventTypeRegistry

    /// Creates an exporter.
    public init(store: any ReadModelStore, registry: EventTypeRegistry) {
        self.store = store
        self.registry = registry
    }

    /// The lines of these stored records, formatted in parallel chunks and
    /// joined in order.
    static func lines(_ stored: [[UInt8]], registry: EventTypeRegistry) async throws(EventStoreError) -> [UInt8] {
        let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount, stored.count / 512))
        let size = (stored.count + chunks - 1) / chunks
        let parts = await withTaskGroup(of: (Int, Result<[UInt8], EventStoreError>).self) { group in
            for c in 0..<chunks {
                let part = stored[min(c * size, stored.count)..<min((c + 1) * size, stored.count)]
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    var out: [UInt8] = []
                    out.reserveCapacity(part.count * 512)
                    for bytes in part {
                        do {
                            let event = try bytes.withUnsafeBytes { try RecordView(stored: $0).materialize() }
                            out += ArchiveFormat.eventLine(event, registry: registry)
                            out.append(0x0A)
                        } catch {
                            return (c, .failure(EventStoreError.wrapping(error)))
                        }
                    }
                    return (c, .success(out))
                }
            }
            var all: [(Int, Result<[UInt8], EventStoreError>)] = []
            for await part in group { all.append(part) }
            return all.sorted { $0.0 < $1.0 }
        }
        var out: [UInt8] = []
        for (_, part) in parts { out += try part.get() }
        return out
    }

    /// Exports the log as it stands when the export starts.
    ///
    /// - Parameters:
    ///   - path: the file to write (replaced when it exists).
    ///   - progress: called now and then with (events written, events in all).
    /// - Returns: the trailer written.
    /// - Throws: ``EventStoreError``: `noSpace` when the disk is full,
    ///   `storage` when the file cannot be written, the store's errors.
    public func export(to path: String, progress: (@Sendable (UInt64, UInt64) -> Void)? = nil) async throws(EventStoreError) -> ArchiveTrailer {
        let head = try await store.head()
        let checkpoints = try await SignedCheckpoint.stored(in: store)
        // A regular file is written beside its name and renamed into place;
        // anything else that exists (a pipe, /dev/null) is written as it is.
        var info = stat()
        let special = stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG
        let partial = special ? path : path + ".partial-\(getpid())"
        let file = try ArchiveFile(creating: partial, truncate: !special)
        do {
            var written: UInt64 = 0
            // Records are read a window at a time and their lines written on
            // every core, in order.
            let window: UInt64 = 16_384
            var next: UInt64 = 1
            while next <= head.position {
                var stored: [[UInt8]] = []
                stored.reserveCapacity(Int(window))
                let last = min(head.position, next + window - 1)
                try await store.scanRecords(from: next, through: last, category: nil) { view in
                    stored.append(Array(view.stored))
                    return true
                }
                guard stored.count == Int(last - next + 1) else {
                    throw EventStoreError.corrupted("the log ends before position \(last)", position: next + UInt64(stored.count))
                }
                let buffer = try await Self.lines(stored, registry: registry)
                try file.write(buffer)
                written += UInt64(stored.count)
                next = last + 1
                progress?(written, head.position)
            }
            var buffer: [UInt8] = []
            for checkpoint in checkpoints {
                do throws(CodecError) { buffer += try ArchiveFormat.checkpointLine(checkpoint) } catch {
                    throw EventStoreError.storage("a checkpoint does not encode: \(error)")
                }
                buffer.append(0x0A)
            }
            let trailer = ArchiveTrailer(events: written, headPosition: head.position, headHash: head.position == 0 ? "" : head.hash.hex)
            buffer += ArchiveFormat.trailerLine(trailer)
            buffer.append(0x0A)
            try file.write(buffer)
            try file.finish(sync: !special)
            guard special || rename(partial, path) == 0 else {
                throw EventStoreError.storage("cannot move the export into place at \(path): \(String(cString: strerror(errno)))")
            }
            progress?(written, head.position)
            return trailer
        } catch {
            file.abandon()
            if !special { unlink(partial) }
            throw EventStoreError.wrapping(error)
        }
    }
}

/// A file written with POSIX calls, every failure a store error (a full
/// disk is ``EventStoreError/Code/noSpace``).
final class ArchiveFile {
    private let descriptor: Int32
    private var closed = false
    let path: String

    init(creating path: String, truncate: Bool = true) throws(EventStoreError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | (truncate ? O_TRUNC : 0), 0o644)
        guard descriptor >= 0 else { throw Self.error(errno, "cannot create \(path)") }
    }

    func write(_ bytes: [UInt8]) throws(EventStoreError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in Foundation.write(descriptor, raw.baseAddress.map { $0 + offset }, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.error(errno, "cannot write \(path)")
            }
            offset += n
        }
    }

    /// Flushes to disk (when `sync`) and closes.
    func finish(sync: Bool = true) throws(EventStoreError) {
        if sync && fsync(descriptor) != 0 { throw Self.error(errno, "cannot write \(path)") }
        closed = true
        if close(descriptor) != 0 { throw Self.error(errno, "cannot write \(path)") }
    }

    /// Closes without flushing (the file is about to be removed).
    func abandon() {
        guard !closed else { return }
        closed = true
        close(descriptor)
    }

    static func error(_ code: Int32, _ what: String) -> EventStoreError {
        let reason = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT {
            return EventStoreError(code: .noSpace, message: "\(what): no space left on the device", engineCode: .posix(code))
        }
        return EventStoreError.storage("\(what): \(reason)", engineCode: .posix(code))
    }
}
