import CaseLedger

/// The four-list register (行政处罚四张清单) of enforcement decisions.
public struct PenaltyRegister: Codable, Sendable, Hashable, KeyedReadModel {
    /// One case as the register keeps it.
    public struct Case: Codable, Sendable, Hashable {
        public var department: String
        public var enterpriseID: String
        public var list: PenaltyList?
        public var fine = 0
        public var delivered = false
        public var publicized = false
        public var creditRepair: CreditRepairStatus = .none
    }

    /// Where an enterprise's credit repair stands for a case.
    public enum CreditRepairStatus: String, Codable, Sendable, Hashable {
        case none, applied, repaired
    }

    /// A line of the publicity list.
    public struct Publicity: Codable, Sendable, Hashable {
        public var caseID: String
        public var enterpriseID: String
        public var list: PenaltyList
        public var publicityID: String
    }

    public var cases = ReadModelTable<Case>()
    public var byList: [PenaltyList: Int] = [:]
    public var byDepartment: [String: [PenaltyList: Int]] = [:]
    public var byEnterprise = ReadModelTable<[PenaltyList: Int]>()
    public var opened = 0
    public var impactAssessments = 0
    public var combinedInspections = 0
    public var decisions = 0
    public var deliveredTogether = 0
    public var publicity: [Publicity] = []
    public var creditRepairsApplied = 0
    public var creditRepairsDone = 0
    public var finesTotal = 0

    public init() {}

    /// Cases and enterprises' counts are saved row by row.
    public static let tables: [ReadModelTableKey<PenaltyRegister>] = [
        .table("cases", \.cases, secondaryKeys: ["enterprise": { $0.enterpriseID }]),
        .table("enterprises", \.byEnterprise),
    ]

    /// The share of decisions delivered with all three documents together
    /// (三书同达); a decision not yet delivered counts against it.
    public var threeDocumentsTogetherRate: Double { decisions == 0 ? 0 : Double(deliveredTogether) / Double(decisions) }
}
