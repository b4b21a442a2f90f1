import CaseLedger

extension TrainingSessionHeld: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        checkupID = try r.binaryString()
        topic = try r.binaryString()
        attendees = try r.binaryInt()
    }
}
