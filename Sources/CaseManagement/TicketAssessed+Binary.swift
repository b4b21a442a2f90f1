import CaseLedger

extension TicketAssessed: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        ticketID = try r.binaryString()
        risk = try r.binaryEnum(RiskLevel.self)
        earlyWarning = try r.binaryBool()
    }
}
