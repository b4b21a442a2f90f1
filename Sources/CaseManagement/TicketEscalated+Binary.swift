import CaseLedger

extension TicketEscalated: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        ticketID = try r.binaryString()
        fromLevel = try r.binaryEnum(Level.self)
        toLevel = try r.binaryEnum(Level.self)
        assigneeID = try r.binaryString()
        assigneeIsCenter = try r.binaryBool()
        reason = try r.binaryEnum(EscalationReason.self)
        deadline = try r.binaryTimestamp()
    }
}
