import CaseLedger

extension TicketConcluded: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        ticketID = try r.binaryString()
        outcome = try r.binaryEnum(Outcome.self)
        level = try r.binaryEnum(Level.self)
    }
}
