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

    /// Exports the log as it stands when the export starts.
    ///
    /// - Parameter progress: called now and then with (events written, events in all).
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
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20)
            var failure: EventStoreError?
            try await store.scanRecords(from: 1, through: head.position, category: nil) { view in
                buffer += ArchiveFormat.eventLine(try view.materialize(), registry: registry)
                buffer.append(0x0A)
                written += 1
                if buffer.count >= 1 << 20 {
                    do throws(EventStoreError) { try file.write(buffer) } catch {
                        failure = error
                        return false
                    }
                    buffer.removeAll(keepingCapacity: true)
                    if written % 50_000 < 5_000 { progress?(written, head.position) }
                }
                return true
            }
            if let failure { throw failure }
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
