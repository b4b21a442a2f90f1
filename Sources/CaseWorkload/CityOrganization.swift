import CaseManagement

/// The city's organization, fixed by the article: 294 political-legal units,
/// 8,000 officers (each unit's first officer is its leader), 1,074 governance
/// centers in four levels (1 city, 6 counties, 73 towns, 994 villages), and
/// the enterprises subject to check-ups and enforcement.
///
/// The structure does not scale with the workload: a small year is the same
/// city with less activity.
public struct CityOrganization: Sendable {
    /// A unit.
    public struct Unit: Sendable, Hashable {
        public var id: String
        public var kind: UnitKind
        /// Its officers; the first is the leader (一把手).
        public var officers: [String]
    }

    public var units: [Unit]
    /// Officer id → unit index.
    public var officerUnit: [String: Int]
    /// Officer ids in order.
    public var officers: [String]
    /// Centers by level (village, town, county, city).
    public var centers: [Level: [String]]
    /// Enterprises.
    public var enterprises: [String]
    /// Enforcement departments.
    public let departments = [
        "market-regulation", "ecology-environment", "emergency-management", "taxation", "transport",
        "natural-resources", "housing-construction", "culture-tourism", "health", "agriculture",
    ]

    /// Builds the organization.
    public init(unitCount: Int = 294, officerCount: Int = 8_000, enterpriseCount: Int = 1_200) {
        let kinds: [(UnitKind, Int)] = [(.committee, 8), (.court, 28), (.procuratorate, 8), (.justiceBureau, 9)]
        var unitKinds: [UnitKind] = []
        for (kind, n) in kinds { unitKinds += Array(repeating: kind, count: n) }
        unitKinds += Array(repeating: .police, count: max(0, unitCount - unitKinds.count))
        unitKinds = Array(unitKinds.prefix(unitCount))
        units = []
        officers = []
        officerUnit = [:]
        var next = 1
        for (i, kind) in unitKinds.enumerated() {
            // Spread the officers: every unit gets an equal share, the first ones one more.
            let share = officerCount / unitCount + (i < officerCount % unitCount ? 1 : 0)
            var ids: [String] = []
            for _ in 0..<share {
                let id = "officer-" + CityOrganization.pad(next, 4)
                ids.append(id)
                officerUnit[id] = i
                officers.append(id)
                next += 1
            }
            units.append(Unit(id: "unit-" + CityOrganization.pad(i + 1, 3), kind: kind, officers: ids))
        }
        centers = [
            .city: ["center-city-01"],
            .county: (1...6).map { "center-county-" + CityOrganization.pad($0, 2) },
            .town: (1...73).map { "center-town-" + CityOrganization.pad($0, 3) },
            .village: (1...994).map { "center-village-" + CityOrganization.pad($0, 4) },
        ]
        enterprises = (1...enterpriseCount).map { "enterprise-" + CityOrganization.pad($0, 4) }
    }

    /// Centers in all.
    public var centerCount: Int { centers.values.reduce(0) { $0 + $1.count } }

    /// Whether an officer leads a unit.
    public func isLeader(_ officer: String) -> Bool {
        guard let u = officerUnit[officer] else { return false }
        return units[u].officers.first == officer
    }

    /// The center of a level (groups are served by their village's center).
    public func centers(at level: Level) -> [String] {
        centers[level == .group ? .village : level] ?? []
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
