import CaseLedger

extension TicketAssigned: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        ticketID = try r.binaryString()
        assigneeID = try r.binaryString()
        assigneeIsCenter = try r.binaryBool()
        level = try r.binaryEnum(Level.self)
        deadline = try r.binaryTimestamp()
    }
}
