import CaseLedger

extension CombinedInspectionHeld: BinaryDecodableEvent {
    /// Reads what ``BinaryCodec`` writes for this event, without Codable.
    public init(binary r: inout ByteReader) throws(CodecError) {
        caseID = try r.binaryString()
        departments = try (0..<r.binaryCount()).map { _ throws(CodecError) in try r.binaryString() }
    }
}
