import CaseLedger

extension RectificationAdvised: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        checkupID = try r.binaryString()
        pointID = try r.binaryString()
        advice = try r.binaryString()
    }
}
