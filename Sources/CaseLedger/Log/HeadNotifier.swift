/// Wakes tasks waiting for the log to grow.
///
/// A backend calls ``advance(to:)`` after each commit; subscribers call
/// ``wait(beyond:)``. Waiting costs nothing while no event arrives: there is
/// no polling.
final class HeadNotifier: Sendable {
    private struct Waiter {
        let id: UInt64
        let position: UInt64
        let continuation: CheckedContinuation<UInt64?, Never>
    }

    private struct State {
        var head: UInt64 = 0
        var closed = false
        var nextID: UInt64 = 0
        var waiters: [Waiter] = []
    }

    private let state = Locked(State())

    package init() {}

    /// Announces a new head and wakes the waiters it satisfies.
    func advance(to head: UInt64) {
        let ready: [Waiter] = state.withLock { s in
            guard head > s.head else { return [] }
            s.head = head
            let ready = s.waiters.filter { $0.position < head }
            s.waiters.removeAll { $0.position < head }
            return ready
        }
        for w in ready { w.continuation.resume(returning: head) }
    }

    /// Wakes every waiter for good: the store closed.
    func close() {
        let all: [Waiter] = state.withLock { s in
            s.closed = true
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for w in all { w.continuation.resume(returning: nil) }
    }

    /// Waits until the head passes `position`, up to `timeout` (to notice
    /// commits made by other processes). Returns the head, or `nil` once the
    /// store is closed. Returns early when the task is cancelled.
    func wait(beyond position: UInt64, timeout: Duration? = nil) async -> UInt64? {
        let id: UInt64 = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        let timer: Task<Void, Never>? = timeout.map { timeout in
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                self?.cancel(id)
            }
        }
        defer { timer?.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<UInt64?, Never>) in
                let immediate: UInt64?? = state.withLock { s in
                    if s.closed { return .some(nil) }
                    if s.head > position || Task.isCancelled { return .some(s.head) }
                    s.waiters.append(Waiter(id: id, position: position, continuation: continuation))
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            cancel(id)
        }
    }

    private func cancel(_ id: UInt64) {
        let waiter: Waiter? = state.withLock { s in
            guard let i = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return s.waiters.remove(at: i)
        }
        if let waiter { waiter.continuation.resume(returning: state.withLock { $0.head }) }
    }
}
