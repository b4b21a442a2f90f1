import CaseLedger

extension CreditRepairApplied: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        caseID = try r.binaryString()
    }
}
