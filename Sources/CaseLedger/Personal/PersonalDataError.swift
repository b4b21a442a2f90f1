/// Why a personal-data operation failed; nothing was written.
///
/// ```swift
/// do {
///     let vault = try await PersonalDataVault(storage: keys, masterKey: master)
/// } catch let error as PersonalDataError where error.code == .wrongMasterKey {
///     print(error.message)
/// }
/// ```
public struct PersonalDataError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Hashable, Sendable {
        /// The master key does not unwrap the keys kept (another master key wrapped them).
        case wrongMasterKey
        /// The key store failed (a full disk, a damaged file, an unreachable server).
        case storage
        /// A kept key or a sealed value is damaged.
        case damaged
        /// A subject id that cannot be stored (empty, over 400 bytes, or holding NUL).
        case invalidSubject
        /// A key being imported differs from the key the store keeps for its subject.
        case conflictingKey
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for people.
    public var message: String

    /// Creates the error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
