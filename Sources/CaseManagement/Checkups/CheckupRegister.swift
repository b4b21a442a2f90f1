import CaseLedger

/// The check-up register: per enterprise, per area, per center.
public struct CheckupRegister: Codable, Sendable, Hashable, KeyedReadModel {
    /// One enterprise's record.
    public struct Enterprise: Codable, Sendable, Hashable {
        public var checkups = 0
        public var pointsFound = 0
        public var pointsRectified = 0
        public var pointsWaived = 0
        public var reports = 0
        public var trainings = 0
        /// Points neither rectified nor waived.
        public var pointsOpen: Int { pointsFound - pointsRectified - pointsWaived }
    }

    /// Found and rectified points in one area.
    public struct Area: Codable, Sendable, Hashable {
        public var found = 0
        public var rectified = 0
        /// Rectified over found.
        public var rectificationRate: Double { found == 0 ? 0 : Double(rectified) / Double(found) }
    }

    public var enterprises = ReadModelTable<Enterprise>()
    public var byArea: [CheckupArea: Area] = [:]
    public var byCenter: [String: Int] = [:]
    /// Check-up → enterprise, for events that name only the check-up.
    public var checkupEnterprise = ReadModelTable<String>()
    /// Open risk points → area.
    public var openPoints = ReadModelTable<CheckupArea>()
    public var checkups = 0
    public var conducted = 0
    public var pointsFound = 0
    public var pointsRectified = 0
    public var pointsWaived = 0
    public var reports = 0
    public var trainings = 0

    public init() {}

    /// Enterprises, check-ups and open risk points are saved row by row.
    public static let tables: [ReadModelTableKey<CheckupRegister>] = [
        .table("enterprises", \.enterprises), .table("checkups", \.checkupEnterprise), .table("open-points", \.openPoints),
    ]
}
