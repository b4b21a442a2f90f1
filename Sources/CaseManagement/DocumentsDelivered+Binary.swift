import CaseLedger

extension DocumentsDelivered: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        caseID = try r.binaryString()
        decisionDocument = try r.binaryString()
        creditRepairNotice = try r.binaryString()
        complianceAdviceLetter = try r.binaryString()
    }
}
