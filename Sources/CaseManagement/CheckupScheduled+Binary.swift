import CaseLedger

extension CheckupScheduled: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        checkupID = try r.binaryString()
        enterpriseID = try r.binaryString()
        centerID = try r.binaryString()
        lawyer = try r.binaryString()
        scheduledFor = try r.binaryTimestamp()
    }
}
