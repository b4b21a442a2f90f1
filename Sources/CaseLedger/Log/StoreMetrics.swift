import Metrics

/// The metrics a store reports, created from the factory it was given.
///
/// - `caseledger_appends_total` (counter): appends committed, dimension `backend`.
/// - `caseledger_events_appended_total` (counter): events written.
/// - `caseledger_append_failures_total` (counter): appends refused or failed.
/// - `caseledger_commit_duration` (timer): one transaction commit.
/// - `caseledger_commit_events` (recorder): events per commit (group size in events).
/// - `caseledger_commit_appends` (recorder): appends per commit (group size in callers).
package struct StoreMetrics: Sendable {
    package let appends: Counter
    package let events: Counter
    package let failures: Counter
    package let commitDuration: Timer
    package let commitEvents: Recorder
    package let commitAppends: Recorder

    package init(backend: String, factory: any MetricsFactory) {
        let dims = [("backend", backend)]
        appends = Counter(label: "caseledger_appends_total", dimensions: dims, factory: factory)
        events = Counter(label: "caseledger_events_appended_total", dimensions: dims, factory: factory)
        failures = Counter(label: "caseledger_append_failures_total", dimensions: dims, factory: factory)
        commitDuration = Timer(label: "caseledger_commit_duration", dimensions: dims, factory: factory)
        commitEvents = Recorder(label: "caseledger_commit_events", dimensions: dims, aggregate: true, factory: factory)
        commitAppends = Recorder(label: "caseledger_commit_appends", dimensions: dims, aggregate: true, factory: factory)
    }

    /// Records one commit of `appends` successful appends holding `events` events.
    package func recordCommit(appends: Int, events: Int, failures: Int, nanoseconds: Int64) {
        if appends > 0 { self.appends.increment(by: appends) }
        if events > 0 { self.events.increment(by: events) }
        if failures > 0 { self.failures.increment(by: failures) }
        commitDuration.recordNanoseconds(nanoseconds)
        commitEvents.record(events)
        commitAppends.record(appends + failures)
    }
}
