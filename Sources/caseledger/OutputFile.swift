import Foundation

/// Writes a whole file or nothing: into a temporary file beside it, then
/// renamed over it. A full disk or a missing folder is one clear error and
/// leaves no half-written file.
enum OutputFile {
    static func write(_ data: Data, to path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            // A pipe or a device: written as it is, never replaced.
            guard let handle = FileHandle(forWritingAtPath: path) else { throw CLIError("cannot write \(path)") }
            defer { try? handle.close() }
            do { try handle.write(contentsOf: data) } catch { throw CLIError("cannot write \(path): \(describe(error))") }
            return
        }
        let temporary = path + ".partial-\(getpid())"
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CLIError("cannot write \(path): \(describe(error))")
        }
    }

    /// An error as a short reason, naming a full disk as such.
    static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        let posix = (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? $0.code : nil }
            ?? (ns.domain == NSPOSIXErrorDomain ? ns.code : nil)
        if posix == Int(ENOSPC) || ns.code == NSFileWriteOutOfSpaceError { return "no space left on the device" }
        return ns.localizedDescription
    }
}
