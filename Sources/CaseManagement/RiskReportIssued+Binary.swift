import CaseLedger

extension RiskReportIssued: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        checkupID = try r.binaryString()
        reportID = try r.binaryString()
    }
}
