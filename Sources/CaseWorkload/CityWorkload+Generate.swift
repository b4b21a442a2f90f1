import CaseLedger
import CaseManagement
import Foundation
import HeapModule

extension CityWorkload {
    /// Generates the year into a store, in batched multi-stream appends.
    ///
    /// Use a relaxed LMDB store and `sync()` at the end for speed.
    ///
    /// - Parameters:
    ///   - store: an empty store (the year's streams must not exist yet).
    ///   - personalData: seals the events' personal fields (ticket summaries,
    ///     raters) per citizen; `nil` writes them in clear.
    ///   - progress: called after each batch.
    /// - Returns: what was written.
    /// - Throws: ``EventStoreError`` from the store, ``DomainRuleError`` if a
    ///   planned command broke a rule (a bug).
    @discardableResult
    public func generate(into store: any EventStore, personalData: PersonalDataVault? = nil,
                         progress: (@Sendable (WorkloadProgress) -> Void)? = nil) async throws -> WorkloadSummary {
        let started = ContinuousClock.now
        var registry = self.registry
        registry.personalData = personalData
        let arrivals = arrivals()
        var heap = Heap<PendingStep>()
        var sequence: UInt64 = 0
        var nextArrival = 0
        // Events waiting for the next batch, encoded when it is written (after
        // their subjects' keys are made).
        var pending: [(stream: StreamName, version: UInt64, events: [any DomainEvent], time: Int64)] = []
        var batchEvents = 0
        var unitVersions: [String: UInt64] = [:]
        var summary = WorkloadSummary()
        summary.units = organization.units.count
        summary.officers = organization.officers.count
        summary.centers = organization.centerCount
        var enterprises = Set<String>()
        let scoreWeights = [2, 3, 8, 30, 57]
        var lastTime = yearStart

        func emit(_ stream: StreamName, after version: UInt64, _ events: [any DomainEvent], at time: Int64) throws {
            pending.append((stream, version, events, time))
            batchEvents += events.count
        }

        func rating(unitID: String, officer: String?, isLeader: Bool, score: Int, ratingID: String, rater: String,
                    clue: (ticketID: String, category: TicketCategory, filerID: String, summary: String, centerID: String, level: Level)?,
                    at time: Int64) throws -> (any DomainEvent)? {
            let parts = try Rating.submit(ratingID: ratingID, unitID: unitID, officerID: officer, isLeader: isLeader, score: score, clue: clue,
                                          raterID: rater)
            let stream = try StreamName(parts[0].stream)
            let version = unitVersions[unitID, default: 0]
            try emit(stream, after: version, [parts[0].event], at: time)
            unitVersions[unitID] = version + 1
            summary.ratings += 1
            return parts.count > 1 ? parts[1].event : nil
        }

        func run(_ simCase: SimCase, at time: Int64) throws {
            let command = simCase.steps[simCase.next].command
            simCase.next += 1
            if case .file(_, let category, let filer, let text, let level, let center, let clue?) = command {
                // A clue arrives with its rating: both in one transaction.
                let filed = try rating(unitID: clue.unit, officer: clue.officer, isLeader: clue.isLeader, score: clue.score,
                                       ratingID: "\(configuration.year)-c-\(simCase.id)", rater: filer,
                                       clue: (simCase.id, category, filer, text, center, level), at: time)
                if let filed {
                    try emit(simCase.stream, after: simCase.version, [filed], at: time)
                    try simCase.fold(filed)
                    simCase.version += 1
                }
            } else {
                let events = try simCase.run(command, at: time)
                try emit(simCase.stream, after: simCase.version, events, at: time)
                simCase.version += UInt64(events.count)
            }
            if simCase.next < simCase.steps.count {
                let t = max(time, simCase.steps[simCase.next].time)
                sequence += 1
                heap.insert(PendingStep(time: t, sequence: sequence, simCase: simCase))
            }
        }

        func flush() async throws {
            guard !pending.isEmpty else { return }
            try await registry.preparePersonalKeys(for: pending.flatMap(\.events))
            var batch: [StreamAppend] = []
            batch.reserveCapacity(pending.count)
            for part in pending {
                let metadata = EventMetadata(recordedAt: Timestamp(microsecondsSince1970: part.time), actor: "city-workload")
                var data: [EventData] = []
                data.reserveCapacity(part.events.count)
                for (i, event) in part.events.enumerated() {
                    let id = EventIDStrategy.derive(namespace: namespace, parts: [part.stream.value], number: part.version + UInt64(i) + 1)
                    data.append(try registry.encode(event, id: id, metadata: metadata))
                }
                batch.append(StreamAppend(stream: part.stream, expectedVersion: .exact(part.version), events: data))
            }
            _ = try await store.append(batch)
            summary.events += UInt64(batchEvents)
            pending.removeAll(keepingCapacity: true)
            batchEvents = 0
            if let progress {
                let elapsed = (ContinuousClock.now - started) / .seconds(1)
                let fraction = Double(lastTime - yearStart) / Double(yearEnd - yearStart)
                let rate = elapsed > 0 ? Double(summary.events) / elapsed : 0
                progress(WorkloadProgress(events: summary.events, fraction: fraction, eventsPerSecond: rate,
                                          secondsRemaining: fraction > 0 ? elapsed * (1 - fraction) / fraction : 0))
            }
        }

        while true {
            let takeArrival: Bool
            if nextArrival < arrivals.count, let top = heap.min {
                takeArrival = arrivals[nextArrival].time <= top.time
            } else if nextArrival < arrivals.count {
                takeArrival = true
            } else if heap.isEmpty {
                break
            } else {
                takeArrival = false
            }
            if takeArrival {
                let arrival = arrivals[nextArrival]
                nextArrival += 1
                lastTime = arrival.time
                switch arrival.kind {
                case .rating(let i):
                    var rng = SplitMix64(seed: configuration.seed, stream: 4, index: UInt64(i))
                    var roll = rng.int(1...100)
                    var score = 5
                    for (s, w) in scoreWeights.enumerated() {
                        if roll <= w { score = s + 1; break }
                        roll -= w
                    }
                    if rng.chance(0.7) {
                        let officer = rng.pick(organization.officers)
                        guard let unitIndex = organization.officerUnit[officer] else { throw EventStoreError.invalidArgument("officer \(officer) belongs to no unit") }
                        let unit = organization.units[unitIndex].id
                        _ = try rating(unitID: unit, officer: officer, isLeader: organization.isLeader(officer), score: score,
                                       ratingID: "\(configuration.year)-r-\(i)", rater: Self.rater(i), clue: nil, at: arrival.time)
                    } else {
                        _ = try rating(unitID: rng.pick(organization.units).id, officer: nil, isLeader: false, score: score,
                                       ratingID: "\(configuration.year)-r-\(i)", rater: Self.rater(i), clue: nil, at: arrival.time)
                    }
                case .ticket(let i, let kind):
                    summary.tickets += 1
                    switch kind {
                    case .platformOrder(let completed):
                        summary.platformOrders += 1
                        if completed { summary.platformCompleted += 1 }
                    case .dispute(_, let resolved):
                        summary.disputes += 1
                        if resolved { summary.disputesResolved += 1 }
                    case .clue: summary.clues += 1
                    case .deskRequest: break
                    }
                    try run(try planTicket(i, kind: kind, start: arrival.time), at: arrival.time)
                case .checkup(let i, let points, let report, let training):
                    summary.checkups += 1
                    summary.riskPoints += points
                    if report { summary.reports += 1 }
                    if training { summary.trainings += 1 }
                    let c = try planCheckup(i, points: points, report: report, training: training, start: arrival.time)
                    if case .schedule(let enterprise, _, _) = c.steps[0].command { enterprises.insert(enterprise) }
                    try run(c, at: arrival.time)
                case .enforcement(let i, let list, let delivered):
                    summary.enforcementCases += 1
                    let c = try planEnforcement(i, list: PenaltyList.allCases[list], delivered: delivered, start: arrival.time)
                    if case .open(_, let enterprise, _, _, _, _) = c.steps[0].command { enterprises.insert(enterprise) }
                    try run(c, at: arrival.time)
                }
            } else {
                let step = heap.removeMin()
                lastTime = step.time
                try run(step.simCase, at: step.time)
            }
            if batchEvents >= configuration.batchSize { try await flush() }
        }
        lastTime = yearEnd
        try await flush()
        summary.enterprises = enterprises.count
        summary.seconds = (ContinuousClock.now - started) / .seconds(1)
        return summary
    }

    /// The citizen who gave the year's `i`th plain rating: derived from `i`
    /// (not drawn from the generator's random numbers, so the year's figures
    /// do not depend on it).
    static func rater(_ i: Int) -> String {
        "citizen-" + CityOrganization.pad((i &* 7_919) % 22_000 + 1, 5)
    }
}
