import Crypto
import Foundation

/// A master key in a file: `caseledger-master-key ` and 64 hex digits, one
/// line, readable by its owner only. What `caseledger keys master` writes
/// and what the CLI and the city service read with `--master-key FILE`.
///
/// ```swift
/// let master = try MasterKeyFile.create("master.key")      // a new random key
/// let again = try MasterKeyFile.read("master.key")
/// let vault = try await PersonalDataVault(storage: keys, masterKey: again)
/// ```
public enum MasterKeyFile {
    /// What the file starts with.
    public static let prefix = "caseledger-master-key "

    /// Writes a new random 256-bit key to `path` (never replacing a file),
    /// mode 0600, and returns it.
    public static func create(_ path: String) throws(PersonalDataError) -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        let text = prefix + AuditHash.hexString(key.withUnsafeBytes { Array($0) }) + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw PersonalDataError(.storage, "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw PersonalDataError(.storage, "cannot write \(path): \(reason)")
        }
        return key
    }

    /// Reads the key in `path`.
    public static func read(_ path: String) throws(PersonalDataError) -> SymmetricKey {
        guard let data = FileManager.default.contents(atPath: path) else { throw PersonalDataError(.storage, "cannot read the master key file \(path)") }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix(prefix), let bytes = AuditHash.bytes(hex: String(text.dropFirst(prefix.count))), bytes.count == 32 else {
            throw PersonalDataError(.damaged, "\(path) is not a CaseLedger master key (`\(prefix)` and 64 hex digits)")
        }
        return SymmetricKey(data: bytes)
    }
}
