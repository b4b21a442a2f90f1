import Crypto
import Foundation

/// The key store's own export, for a backup or a move: every kept key,
/// still wrapped by the master key (the file holds no data key in clear),
/// one JSON object per line after a header line:
///
/// ```
/// caseledger-personal-keys 1
/// {"keyID":"<32 hex>","subject":"citizen-00017","wrapped":"<base64>"}
/// ```
///
/// A store's export (``LogExporter``) carries sealed values only; with this
/// file and the master key the values open again after an import.
///
/// ```swift
/// let count = try await PersonalKeyArchive.export(keys, to: "keys.ndjson")
/// let result = try await PersonalKeyArchive.importKeys(from: "keys.ndjson", into: otherKeys, masterKey: master)
/// ```
public enum PersonalKeyArchive {
    /// The first line of a key file.
    public static let header = "caseledger-personal-keys 1"

    /// Writes every kept key to `path`, a new file (never replacing one)
    /// readable by its owner only; returns how many keys it holds.
    public static func export(_ storage: some PersonalKeyStorage, to path: String) async throws(PersonalDataError) -> Int {
        let keys = try await storage.allKeys()
        var text = header + "\n"
        for key in keys {
            var line = JSONText()
            line.beginObject()
            line.key("keyID")
            line.string(AuditHash.hexString(key.keyID))
            line.key("subject")
            line.string(key.subject)
            line.key("wrapped")
            line.string(Data(key.wrapped).base64EncodedString())
            line.endObject()
            text += String(decoding: line.bytes, as: UTF8.self) + "\n"
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw PersonalDataError(.storage, "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw PersonalDataError(.storage, "cannot write \(path): \(reason)")
        }
        return keys.count
    }

    /// What an import did.
    public struct ImportResult: Sendable, Hashable {
        /// Keys added to the store.
        public var added: Int
        /// Keys the store held already.
        public var present: Int
    }

    /// Reads a key file whole and checks it (its form, and that
    /// `masterKey` unwraps every key in it and every key the store keeps)
    /// before anything is written; then adds the keys the store lacks.
    /// Importing the same file again adds nothing.
    ///
    /// - Throws: ``PersonalDataError``: ``PersonalDataError/Code/damaged``
    ///   for a malformed file, ``PersonalDataError/Code/wrongMasterKey``,
    ///   ``PersonalDataError/Code/conflictingKey`` when the store keeps
    ///   another key for a subject of the file (nothing is written then);
    ///   ``PersonalDataError/Code/storage`` when the key store fails midway
    ///   (the keys added so far stay; importing again completes it).
    public static func importKeys(from path: String, into storage: some PersonalKeyStorage,
                                  masterKey: SymmetricKey) async throws(PersonalDataError) -> ImportResult {
        let keys = try read(path)
        for key in keys where PersonalDataVault.unwrap(key, with: masterKey) == nil {
            throw PersonalDataError(.wrongMasterKey, "the master key does not unwrap the key of \(key.subject == PersonalDataVault.checkSubject ? "the master-key check" : "a subject") in \(path)")
        }
        var kept: [String: WrappedSubjectKey] = [:]
        for key in try await storage.allKeys() {
            guard PersonalDataVault.unwrap(key, with: masterKey) != nil else {
                throw PersonalDataError(.wrongMasterKey, "the master key does not unwrap the keys the store keeps: they were wrapped by another")
            }
            kept[key.subject] = key
        }
        for key in keys where key.subject != PersonalDataVault.checkSubject {
            if let other = kept[key.subject], other.keyID != key.keyID {
                throw PersonalDataError(.conflictingKey, "the store keeps another key for \(key.subject.debugDescription) than \(path) holds")
            }
        }
        var result = ImportResult(added: 0, present: 0)
        for key in keys {
            if kept[key.subject] != nil {
                result.present += 1
                continue
            }
            _ = try await storage.insert(key)
            result.added += 1
        }
        return result
    }

    /// The keys of a key file.
    static func read(_ path: String) throws(PersonalDataError) -> [WrappedSubjectKey] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PersonalDataError(.storage, "cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw PersonalDataError(.damaged, "\(path) is not UTF-8") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard lines.first == Substring(header) else { throw PersonalDataError(.damaged, "\(path) is not a key file (its first line is not `\(header)`)") }
        var keys: [WrappedSubjectKey] = []
        var subjects = Set<String>()
        for (i, line) in lines.dropFirst().enumerated() {
            func bad(_ why: String) -> PersonalDataError { PersonalDataError(.damaged, "\(path) line \(i + 2): \(why)") }
            let object: JSONObject
            do { object = try JSONValue.parse(Array(line.utf8)).object("a key line") } catch { throw bad(error.message) }
            let key: WrappedSubjectKey
            do {
                try object.only(["keyID", "subject", "wrapped"])
                guard case .string(let subject) = try object.field("subject"),
                      case .string(let idHex) = try object.field("keyID"),
                      case .string(let wrapped64) = try object.field("wrapped") else { throw bad("subject, keyID and wrapped are strings") }
                guard let keyID = AuditHash.bytes(hex: idHex), keyID.count == 16 else { throw bad("keyID is 32 hex digits") }
                guard let wrapped = Data(base64Encoded: wrapped64), wrapped.count == 12 + 32 + 16 else { throw bad("wrapped is the base64 of 60 bytes") }
                key = WrappedSubjectKey(subject: subject, keyID: keyID, wrapped: Array(wrapped))
            } catch let error as PersonalDataError {
                throw error
            } catch let error as CodecError {
                throw bad(error.message)
            } catch {
                throw bad("\(error)")
            }
            guard subjects.insert(key.subject).inserted else { throw bad("\(key.subject.debugDescription) appears twice") }
            keys.append(key)
        }
        return keys
    }
}
