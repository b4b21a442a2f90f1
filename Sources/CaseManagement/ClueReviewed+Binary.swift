import CaseLedger

extension ClueReviewed: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        ticketID = try r.binaryString()
        reviewerID = try r.binaryString()
        upheld = try r.binaryBool()
    }
}
