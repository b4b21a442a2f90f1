import CaseLedger

extension TicketHandled: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        ticketID = try r.binaryString()
        action = try r.binaryEnum(HandlingAction.self)
        note = try r.binaryString()
    }
}
