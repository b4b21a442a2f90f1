import CaseLedger

extension CheckupConducted: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        checkupID = try r.binaryString()
        areas = try (0..<r.binaryCount()).map { _ throws(CodecError) in try r.binaryEnum(CheckupArea.self) }
    }
}
