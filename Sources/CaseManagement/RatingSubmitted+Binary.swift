import CaseLedger

extension RatingSubmitted: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        ratingID = try r.binaryString()
        unitID = try r.binaryString()
        officerID = try r.binaryPresent() ? r.binaryString() : nil
        isLeader = try r.binaryBool()
        score = try r.binaryInt()
        clueTicketID = try r.binaryPresent() ? r.binaryString() : nil
    }
}
