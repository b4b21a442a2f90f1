import Foundation

/// The thread every LMDB write transaction of a store runs on, as a task
/// executor.
///
/// LMDB ties a write transaction to the thread that began it (its writer
/// lock is a mutex that thread must unlock). The event log's writer task
/// prefers this executor, and ``LMDBStorage`` runs each transaction here, so
/// a transaction begins, runs and commits on this one thread even across its
/// `await`s.
final class LMDBWriterThread: TaskExecutor, @unchecked Sendable {
    // Invariant that makes the class Sendable: `jobs`, `stopping`, `exited`
    // and `threadID` are read and written only with `mutex` locked;
    // `condition` is used only with it.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private var exited = false
    private var threadID: pthread_t?

    init(name: String) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        pthread_mutex_lock(mutex)
        guard !exited else {
            // The store is closed: whatever still runs here only fails with
            // `storeClosed`, so it may run anywhere.
            pthread_mutex_unlock(mutex)
            globalConcurrentExecutor.enqueue(job)
            return
        }
        jobs.append(UnownedJob(job))
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Whether the caller runs on this thread.
    var isCurrent: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard let threadID else { return false }
        return pthread_equal(threadID, pthread_self()) != 0
    }

    /// Ends the thread once the jobs queued so far have run; later jobs run
    /// on the global executor.
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    private func run() {
        pthread_mutex_lock(mutex)
        threadID = pthread_self()
        pthread_mutex_unlock(mutex)
        let executor = asUnownedTaskExecutor()
        while true {
            pthread_mutex_lock(mutex)
            while jobs.isEmpty && !stopping { pthread_cond_wait(condition, mutex) }
            if jobs.isEmpty {
                exited = true
                pthread_mutex_unlock(mutex)
                return
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            pthread_mutex_unlock(mutex)
            for job in batch { job.runSynchronously(on: executor) }
        }
    }
}
