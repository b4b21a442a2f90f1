// Generates the Swift of case events and records from `.events` schema files:
// each type's fields are declared once there, and its struct, initializer,
// binary and JSON codecs and field list are written here from them.
//
// Usage: EventSchemaGenerator OUTPUT.swift SCHEMA.events...
//
// A schema file holds blocks:
//
//     /// A ticket was accepted (intake): once, whatever the channel.
//     event TicketFiled {
//         /// The ticket's id; its stream is `ticket-<id>`.
//         ticketID: String
//         /// Who filed it.
//         filerID: String personal(filerID)
//     }
//     event TicketFiledV1 stored TicketFiled version 1 { … }   // an older form, for upcasting
//     record DecisionReasoning { facts: String … }
//
// Field types: String, Int, Bool, Double, UUID, Timestamp, T?, [T], a string
// enum conforming to SchemaEnum, or a record of a schema file. `personal(f)`
// marks personal data whose subject is named by field `f` (or by the field
// itself): a `String` or `String?` field, generated as `PersonalText` and
// sealed for the subject as it is encoded. `#` starts a
// comment; `///` lines document the next block or field.
import Foundation

struct Field {
    var name: String
    var type: String
    var personal: String?
    var doc: [String]
}

struct Block {
    var kind: String  // "event" or "record"
    var name: String
    var stored: String
    var version: Int
    var fields: [Field] = []
    var doc: [String]
    var file: String
}

struct SchemaError: Error, CustomStringConvertible {
    var description: String
}

func parse(_ path: String) throws -> [Block] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let file = URL(fileURLWithPath: path).lastPathComponent
    var blocks: [Block] = []
    var current: Block?
    var doc: [String] = []
    for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let line = rawLine.trimmingCharacters(in: .whitespaces)
        func fail(_ why: String) -> SchemaError { SchemaError(description: "\(path):\(number + 1): \(why)") }
        if line.isEmpty { continue }
        if line.hasPrefix("///") {
            doc.append(String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces))
            continue
        }
        if line.hasPrefix("#") { continue }
        if line == "}" {
            guard let block = current else { throw fail("'}' without a block") }
            guard !block.fields.isEmpty else { throw fail("\(block.name) has no fields") }
            blocks.append(block)
            current = nil
            continue
        }
        if current == nil {
            let words = line.split(separator: " ").map(String.init)
            guard words.count >= 3, ["event", "record"].contains(words[0]), words.last == "{" else {
                throw fail("expected `event Name {` or `record Name {`")
            }
            var stored = words[1]
            var version = 1
            var i = 2
            while i < words.count - 1 {
                switch words[i] {
                case "stored" where i + 1 < words.count - 1: stored = words[i + 1]; i += 2
                case "version" where i + 1 < words.count - 1:
                    guard let v = Int(words[i + 1]), v >= 1, v <= 65_535 else { throw fail("a version is 1 to 65535") }
                    version = v
                    i += 2
                default: throw fail("unknown `\(words[i])`")
                }
            }
            guard words[0] == "event" || (stored == words[1] && version == 1) else { throw fail("a record has no stored name or version") }
            current = Block(kind: words[0], name: words[1], stored: stored, version: version, doc: doc, file: file)
            doc = []
            continue
        }
        // A field: name: Type [personal(subject)]
        let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw fail("expected `name: Type`")
        }
        var typeWords = parts[1].split(separator: " ").map(String.init)
        var personal: String?
        if let last = typeWords.last, last.hasPrefix("personal(") && last.hasSuffix(")") {
            personal = String(last.dropFirst("personal(".count).dropLast())
            typeWords.removeLast()
        }
        guard typeWords.count == 1 else { throw fail("unexpected `\(parts[1])`") }
        var type = typeWords[0]
        if personal != nil {
            // Personal text is sealed per subject: PersonalText in Swift.
            switch type {
            case "String": type = "PersonalText"
            case "String?": type = "PersonalText?"
            default: throw fail("a personal field is `String` or `String?`")
            }
        }
        current?.fields.append(Field(name: parts[0], type: type, personal: personal, doc: doc))
        doc = []
    }
    if let open = current { throw SchemaError(description: "\(path): \(open.name) is not closed with `}`") }
    return blocks
}

func docLines(_ doc: [String], indent: String) -> String {
    doc.map { "\(indent)/// \($0)" }.joined(separator: "\n") + (doc.isEmpty ? "" : "\n")
}

/// A Swift string literal of documentation lines joined by spaces.
func literal(_ doc: [String]) -> String {
    let text = doc.joined(separator: " ")
    var out = "\""
    for c in text.unicodeScalars {
        switch c {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        default: out.unicodeScalars.append(c)
        }
    }
    return out + "\""
}

func generate(_ block: Block, known: Set<String>) throws -> String {
    for field in block.fields {
        if let subject = field.personal, subject != field.name, !block.fields.contains(where: { $0.name == subject }) {
            throw SchemaError(description: "\(block.file): \(block.name).\(field.name) names personal subject \(subject), which is not a field")
        }
    }
    let conformance = block.kind == "event" ? "SchemaEvent" : "SchemaRecord, Codable"
    var s = docLines(block.doc, indent: "")
    s += "public struct \(block.name): \(conformance), Hashable {\n"
    if block.kind == "event" {
        s += "    public static let eventType = \"\(block.stored)\"\n"
        s += "    public static let schemaVersion: UInt16 = \(block.version)\n"
    }
    s += "    public static let summary = \(literal(block.doc))\n"
    s += "    public static var fields: [SchemaFieldDescription] {\n        [\n"
    for f in block.fields {
        let personal = f.personal.map { ", personalSubject: \"\($0)\"" } ?? ""
        s += "            SchemaFieldDescription(\"\(f.name)\", (\(f.type)).schemaType\(personal), summary: \(literal(f.doc))),\n"
    }
    s += "        ]\n    }\n\n"
    for f in block.fields {
        s += docLines(f.doc, indent: "    ")
        s += "    public var \(f.name): \(f.type)\n"
    }
    // The subject's id of each personal field: a plain field, or the
    // personal text itself.
    func subjectValue(of f: Field) -> String? {
        guard let subject = f.personal else { return nil }
        let subjectType = block.fields.first { $0.name == subject }?.type ?? f.type
        return subjectType.hasPrefix("PersonalText") ? "\(subject)\(subjectType.hasSuffix("?") ? "?" : "").text" : subject
    }
    // Values in clear, made or decoded, learn their subject (a sealed
    // value's is its key's).
    var attribution = ""
    for f in block.fields {
        guard let value = subjectValue(of: f) else { continue }
        let chain = f.type.hasSuffix("?") ? "?" : ""
        attribution += "        if self.\(f.name)\(chain).sealed == nil {\n            let subject = self.\(value)\n            self.\(f.name)\(chain).attribute(to: subject)\n        }\n"
    }
    let parameters = block.fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
    s += "\n    /// Creates the \(block.kind).\n    public init(\(parameters)) {\n"
    for f in block.fields { s += "        self.\(f.name) = \(f.name)\n" }
    s += attribution
    s += "    }\n\n"
    s += "    public init(binary reader: inout ByteReader) throws(CodecError) {\n"
    for f in block.fields { s += "        \(f.name) = try (\(f.type))(binary: &reader)\n" }
    s += attribution
    s += "    }\n\n"
    s += "    public func encode(binary writer: inout ByteWriter) {\n"
    for f in block.fields {
        guard let subjectValue = subjectValue(of: f) else {
            s += "        \(f.name).encode(binary: &writer)\n"
            continue
        }
        if f.type.hasSuffix("?") {
            s += "        PersonalText.encode(\(f.name), binary: &writer, subject: \(subjectValue))\n"
        } else {
            s += "        \(f.name).encode(binary: &writer, subject: \(subjectValue))\n"
        }
    }
    s += "    }\n\n"
    let names = block.fields.map { "\"\($0.name)\"" }.joined(separator: ", ")
    s += "    /// The members of the JSON form.\n    static let jsonKeys: [String] = [\(names)]\n\n"
    s += "    public init(json: JSONValue) throws(CodecError) {\n"
    s += "        let object = try json.object(\"\(block.name)\")\n"
    s += "        try object.only(Self.jsonKeys)\n"
    for f in block.fields {
        if f.type.hasSuffix("?") {
            s += "        \(f.name) = try (\(f.type))(json: object.optional(\"\(f.name)\") ?? .null)\n"
        } else {
            s += "        \(f.name) = try (\(f.type))(json: object.field(\"\(f.name)\"))\n"
        }
    }
    s += attribution
    s += "    }\n\n"
    s += "    public func encode(json writer: inout JSONText) {\n        writer.beginObject()\n"
    for f in block.fields.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) {
        if f.type.hasSuffix("?") {
            s += "        if let value = \(f.name) {\n            writer.key(\"\(f.name)\")\n            value.encode(json: &writer)\n        }\n"
        } else {
            s += "        writer.key(\"\(f.name)\")\n        \(f.name).encode(json: &writer)\n"
        }
    }
    s += "        writer.endObject()\n    }\n}\n"
    return s
}

/// The generator's entry point: `EventSchemaGenerator OUTPUT.swift SCHEMA.events...`.
/// (`@main` rather than top-level code, so the tool also builds under
/// `-parse-as-library`, which the fuzz build passes to every target.)
@main
enum EventSchemaGenerator {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let output = arguments.first, arguments.count >= 2 else {
            FileHandle.standardError.write(Data("usage: EventSchemaGenerator OUTPUT.swift SCHEMA.events...\n".utf8))
            exit(2)
        }
        do {
            var blocks: [Block] = []
            for path in arguments.dropFirst().sorted() { blocks += try parse(path) }
            var seen = Set<String>()
            for b in blocks {
                guard seen.insert(b.name).inserted else { throw SchemaError(description: "\(b.file): \(b.name) is defined twice") }
            }
            let stored = Dictionary(grouping: blocks.filter { $0.kind == "event" }, by: { "\($0.stored) v\($0.version)" })
            if let twice = stored.first(where: { $0.value.count > 1 }) {
                throw SchemaError(description: "\(twice.key) is defined by \(twice.value.map(\.name).joined(separator: " and "))")
            }
            var out = "// Generated by EventSchemaGenerator from \(Set(blocks.map(\.file)).sorted().joined(separator: ", ")). Do not edit:\n"
            out += "// change the .events files.\nimport CaseLedger\nimport Foundation\n\n"
            for b in blocks { out += try generate(b, known: seen) + "\n" }
            out += "/// The event types of the schema files.\n"
            out += "public enum SchemaEvents {\n    /// The current form of each event type, in schema order.\n    public static let current: [any SchemaEvent.Type] = [\n"
            for b in blocks where b.kind == "event" && b.stored == b.name { out += "        \(b.name).self,\n" }
            out += "    ]\n\n    /// Older forms, kept to read stored events through upcasters.\n    public static let legacy: [any SchemaEvent.Type] = [\n"
            for b in blocks where b.kind == "event" && b.stored != b.name { out += "        \(b.name).self,\n" }
            out += "    ]\n\n    /// The current event types by schema file, in file and schema order.\n"
            out += "    public static let groups: [(file: String, types: [any SchemaEvent.Type])] = [\n"
            for file in Set(blocks.map(\.file)).sorted() {
                let names = blocks.filter { $0.file == file && $0.kind == "event" && $0.stored == $0.name }.map { "\($0.name).self" }
                out += "        (\"\(file)\", [\(names.joined(separator: ", "))]),\n"
            }
            out += "    ]\n}\n"
            let existing = try? String(contentsOfFile: output, encoding: .utf8)
            if existing != out { try out.write(toFile: output, atomically: false, encoding: .utf8) }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }
}
