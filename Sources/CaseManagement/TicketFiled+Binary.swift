import CaseLedger

extension TicketFiled: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        ticketID = try r.binaryString()
        channel = try r.binaryEnum(Channel.self)
        category = try r.binaryEnum(TicketCategory.self)
        filerID = try r.binaryString()
        summary = try r.binaryString()
        level = try r.binaryEnum(Level.self)
        centerID = try r.binaryString()
        isClue = try r.binaryBool()
    }
}
