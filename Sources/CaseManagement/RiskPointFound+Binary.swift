import CaseLedger

extension RiskPointFound: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        checkupID = try r.binaryString()
        pointID = try r.binaryString()
        area = try r.binaryEnum(CheckupArea.self)
        severity = try r.binaryEnum(Severity.self)
        description = try r.binaryString()
    }
}
