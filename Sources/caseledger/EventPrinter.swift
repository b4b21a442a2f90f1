import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// How `read` and `read-all` print events.
enum EventFormat: String, ExpressibleByArgument, CaseIterable {
    case ndjson
    case table
}

/// Prints events as NDJSON lines, or as a table aligned by display width.
final class EventPrinter {
    let format: EventFormat
    let registry: EventTypeRegistry
    /// Whether personal fields print as the registry's vault reads them.
    var opening: Bool { registry.personalData != nil }
    private var header = false

    init(format: EventFormat, registry: EventTypeRegistry) {
        self.format = format
        self.registry = registry
    }

    static let columns: [(String, Int)] = [("position", 9), ("stream", 28), ("ver", 4), ("type", 24), ("recorded at", 27)]

    func print(_ event: RecordedEvent) {
        switch format {
        case .ndjson:
            Output.line(String(decoding: ArchiveFormat.eventLine(event, registry: registry, opening: opening), as: UTF8.self))
        case .table:
            if !header {
                header = true
                Output.line(Self.row(Self.columns.map(\.0) + ["data"]))
            }
            let json = String(decoding: ArchiveFormat.data(type: event.type, schemaVersion: event.schemaVersion, payload: event.payload,
                                                           registry: registry, opening: opening), as: UTF8.self)
            Output.line(Self.row([String(event.position), event.stream.value, String(event.streamVersion), event.type,
                                  event.recordedAt.iso8601, DisplayWidth.truncate(json, to: 60)]))
        }
    }

    func finish() {
        if format == .table && !header { Output.line("(no events)") }
    }

    static func row(_ cells: [String]) -> String {
        var line = ""
        for (i, cell) in cells.enumerated() {
            if i < columns.count {
                line += DisplayWidth.pad(DisplayWidth.truncate(cell, to: columns[i].1), to: columns[i].1) + "  "
            } else {
                line += cell
            }
        }
        return line
    }
}
