import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Notices writes to the data file made by any process, through inotify, on
/// a thread of its own, and calls `changed` after each burst of them: how a
/// subscriber in one process learns at once of a commit made in another
/// (LMDB itself offers no notification).
///
/// The data file is written with `pwrite` at every commit (the store does not
/// use `MDB_WRITEMAP`), so each commit raises `IN_MODIFY`: once for its
/// pages and once for its meta page. The new transaction becomes visible to
/// readers a moment after the meta page is written (when the writer bumps
/// the transaction id in the lock file, which raises no event), so when a
/// look finds nothing new, the thread looks again after 0.5, 1, 2… ms, up to
/// about 60 ms in all. Where inotify is
/// not available (another platform, the per-user limit of instances
/// reached), ``start(file:changed:)`` returns `nil` and the store falls back
/// to re-reading the head now and then.
final class LMDBCommitWatcher: @unchecked Sendable {
    // Invariant that makes the class Sendable: every stored property is a
    // `let` set in `init`; the descriptors are closed only by the watching
    // thread, after its loop ends, which happens only once a byte arrives on
    // the wake pipe; `stop()` and `signalStop()` (one of them, once) only
    // write that byte, and `stop()` then waits on `done`.
    private let inotify: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let done = DispatchSemaphore(value: 0)
    /// Looks at the head; `true` when it found a new one (or cannot look).
    private let changed: @Sendable () -> Bool

    private init(inotify: Int32, wakeRead: Int32, wakeWrite: Int32, changed: @escaping @Sendable () -> Bool) {
        self.inotify = inotify
        self.wakeRead = wakeRead
        self.wakeWrite = wakeWrite
        self.changed = changed
    }

    /// Starts watching `file`; `nil` when inotify cannot watch it.
    static func start(file: String, changed: @escaping @Sendable () -> Bool) -> LMDBCommitWatcher? {
        #if os(Linux)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        guard inotify_add_watch(fd, file, UInt32(IN_MODIFY)) >= 0 else {
            Glibc.close(fd)
            return nil
        }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            Glibc.close(fd)
            return nil
        }
        for p in pipeFDs { _ = fcntl(p, F_SETFD, FD_CLOEXEC) }
        let watcher = LMDBCommitWatcher(inotify: fd, wakeRead: pipeFDs[0], wakeWrite: pipeFDs[1], changed: changed)
        let thread = Thread { watcher.loop() }
        thread.name = "caseledger-lmdb-watch"
        thread.start()
        return watcher
        #else
        return nil
        #endif
    }

    #if os(Linux)
    private func loop() {
        var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let n = poll(&fds, 2, -1)
            if n < 0 {
                if errno != EINTR { usleep(10_000) }
                continue
            }
            if fds[1].revents != 0 { break }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            // Drain every queued event; one look at the head covers them all.
            while buffer.withUnsafeMutableBytes({ read(inotify, $0.baseAddress, $0.count) }) > 0 {}
            var pause: useconds_t = 500
            for _ in 0..<7 {
                if changed() { break }
                usleep(pause)
                pause *= 2
            }
        }
        Glibc.close(inotify)
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
        done.signal()
    }
    #else
    private func loop() {}
    #endif

    /// Stops the thread and waits until it has, so `changed` is not called
    /// after this returns.
    func stop() {
        signalStop()
        #if os(Linux)
        done.wait()
        #endif
    }

    /// Tells the thread to end without waiting for it (from a `deinit`,
    /// which may run on the watching thread itself).
    func signalStop() {
        #if os(Linux)
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        #endif
    }
}
