/// The payload layout of schema-generated events, written out as Markdown so
/// a payload can be read without the Swift code (the CLI's `types
/// --markdown`, and the repository's `docs/EVENT-LAYOUTS.md`).
///
/// ```swift
/// let text = SchemaLayouts.markdown(title: "Case event payload layouts",
///                                   groups: [("Tickets.events", [TicketFiled.self])])
/// ```
public enum SchemaLayouts {
    /// The document: how each field type is written, then every event of
    /// every group with its fields in payload order, then the records the
    /// events embed.
    ///
    /// - Parameters:
    ///   - title: the first heading.
    ///   - groups: the events by schema file, in the order to document them.
    public static func markdown(title: String, groups: [(file: String, types: [any SchemaEvent.Type])]) -> String {
        var out = "# \(title)\n\n"
        out += """
        Generated from the schema files (`caseledger types --markdown`); a test keeps this file equal to what the code \
        writes. Each event is stored with the binary codec: its payload is its fields in the order below, each written as \
        the table at the end says, with nothing before, between or after them. The JSON form (exports, `--data` input) \
        is one object whose keys are the field names, written in sorted order, with no other keys.

        A fingerprint is the event's name, schema version and fields written out in full; a stored form never changes, \
        so a changed fingerprint comes with a new schema version (see `Tests/CaseManagementTests/EventFingerprints.txt`).
        A field marked *personal* holds personal data of the data subject named by the field in brackets (or by its own \
        value, when it names itself). It is written as a personal value (see the table at the end): sealed with AES-GCM \
        under the subject's key when the store keeps personal data sealed, so the log, its hash chain and exports hold \
        only the sealed bytes; after the subject is forgotten it reads as erased.


        """
        var records: [(String, [SchemaFieldDescription])] = []
        func collect(_ type: SchemaType) {
            switch type {
            case .optional(let t), .array(let t): collect(t)
            case .record(let name, let fields):
                if !records.contains(where: { $0.0 == name }) { records.append((name, fields)) }
                fields.forEach { collect($0.type) }
            default: break
            }
        }
        for group in groups {
            out += "## \(group.file)\n\n"
            for type in group.types {
                out += "### \(type.eventType) (schema version \(type.schemaVersion))\n\n"
                if !type.summary.isEmpty { out += "\(type.summary)\n\n" }
                out += fieldTable(type.fields)
                out += "Fingerprint: `\(type.fingerprint)`\n\n"
                type.fields.forEach { collect($0.type) }
            }
        }
        if !records.isEmpty {
            out += "## Records inside events\n\n"
            for (name, fields) in records {
                out += "### \(name)\n\n" + fieldTable(fields)
            }
        }
        out += """
        ## Field encodings

        | type | binary | JSON |
        | --- | --- | --- |

        """
        for type in [SchemaType.string, .int, .bool, .double, .uuid, .timestamp] {
            out += "| \(type) | \(type.binaryLayout) | \(type.jsonForm) |\n"
        }
        out += "| T? | presence byte (0/1), then T | T, key left out when absent |\n"
        out += "| [T] | 4-byte big-endian count, then each T | array of T |\n"
        out += "| an enum | its name: LEB128 length + UTF-8 | its name, a string |\n"
        out += "| a record | its fields in order | object with sorted keys |\n"
        out += "| a personal value | a tag byte: 0 in clear, then LEB128 length + UTF-8; 1 sealed, then LEB128 length + the sealed bytes (16-byte key id, 12-byte nonce, ciphertext, 16-byte tag); 2 erased, nothing more | the text as a string in clear; `{\"sealed\": base64}`; `{\"erased\": true}` |\n"
        out += "\nLEB128 is unsigned, 7 bits per byte, low bits first, in its shortest form; zig-zag maps 0, −1, 1, −2 … to 0, 1, 2, 3 ….\n"
        return out
    }

    private static func fieldTable(_ fields: [SchemaFieldDescription]) -> String {
        var out = "| # | field | type | binary | personal | meaning |\n| ---: | --- | --- | --- | --- | --- |\n"
        for (i, f) in fields.enumerated() {
            let personal = f.personalSubject.map { "yes (\($0))" } ?? ""
            var binary = f.type.binaryLayout
            if f.personalSubject != nil {
                binary = f.type == .string ? "a personal value" : "presence byte (0/1), then a personal value"
            }
            out += "| \(i + 1) | `\(f.name)` | \(cell(f.type.fingerprint)) | \(cell(binary)) | \(personal) | \(cell(f.summary)) |\n"
        }
        return out + "\n"
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
