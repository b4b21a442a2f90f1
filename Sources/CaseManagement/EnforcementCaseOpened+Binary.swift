import CaseLedger

extension EnforcementCaseOpened: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        caseID = try r.binaryString()
        department = try r.binaryString()
        enterpriseID = try r.binaryString()
        violation = try r.binaryString()
        legalBasis = try r.binaryString()
        fineMinimum = try r.binaryInt()
        fineMaximum = try r.binaryInt()
    }
}
