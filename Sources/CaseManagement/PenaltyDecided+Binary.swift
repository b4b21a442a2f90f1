import CaseLedger

extension PenaltyDecided: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        caseID = try r.binaryString()
        list = try r.binaryEnum(PenaltyList.self)
        fine = try r.binaryInt()
        reasoning = DecisionReasoning(facts: try r.binaryString(), legalBasis: try r.binaryString(), listItem: try r.binaryString())
    }
}
