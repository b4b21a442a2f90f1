/// One row of the side-by-side table and of `bench-results.json`.
struct BenchResult: Codable {
    var `case`: String
    var library: Double
    var reference: Double
    var ratio: Double
    /// The ratio aimed at; `nil` for a row that only reports one.
    var target: Double?
    var lowerIsBetter: Bool?
    var unit: String
    var note: String
}
