#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a pthread mutex: the one lock of CaseLedger.
///
/// A pthread mutex rather than `Synchronization.Mutex` because
/// ThreadSanitizer on Linux does not see the standard library's mutex and
/// reports the accesses it guards as races; it sees this one. The same shape
/// as swift-nio's `NIOLockedValueBox`.
///
/// ```swift
/// let counter = Locked(0)
/// counter.withLock { $0 += 1 }
/// ```
package final class Locked<Value> {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    @inline(__always)
    package func withLock<T, E: Error>(_ body: (inout Value) throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

// Invariant that makes the box Sendable when its value is: `value` is read
// and written only between `pthread_mutex_lock` and `pthread_mutex_unlock` of
// `mutex` (inside `withLock`), so no two threads touch it at once.
extension Locked: @unchecked Sendable where Value: Sendable {}
