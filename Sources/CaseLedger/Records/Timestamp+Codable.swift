extension Timestamp: Codable {
    /// Encodes as microseconds since 1970 (an integer).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(microsecondsSince1970)
    }

    /// Decodes from microseconds since 1970.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        self.init(microsecondsSince1970: try c.decode(Int64.self))
    }
}
