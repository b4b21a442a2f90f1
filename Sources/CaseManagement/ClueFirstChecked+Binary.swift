import CaseLedger

extension ClueFirstChecked: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        ticketID = try r.binaryString()
        departmentID = try r.binaryString()
        finding = try r.binaryString()
    }
}
