import CaseLedger
import Foundation
import Hummingbird
import ServiceLifecycle

/// `GET /api/feed[?category=ticket][&from=P][&until=Q]`: the live event
/// feed as server-sent events, one `data:` line per event (its export
/// line), from the head (or from position P), until the client goes away,
/// the service stops, or (with `until`) the event at position Q or after
/// was sent: then an `end` event closes it. Browsers open it with `?token=…`.
extension CityServer {
    func addFeedRoute(to api: RouterGroup<CityContext>) {
        api.get("feed") { request, context in
            // Every event of every case: auditors and administrators only.
            _ = try context.caller(.auditor, .administrator, doing: "follow the event feed")
            let categories = request.uri.queryParameters.get("category").map { Set($0.split(separator: ",").map(String.init)) }
            let until = try request.number("until")
            let head = try await store.headPosition()
            let from = try request.number("from") ?? head + 1
            let subscription = store.subscribe(from: max(1, from), filter: EventFilter(categories: categories), pageSize: 256)
            let registry = desk.registry
            let feeds = self.feeds
            let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                await feeds.opened()
                do {
                    // A comment line first, so the client sees the stream open at once.
                    try await writer.write(ByteBuffer(string: ": caseledger feed from \(from)\n\n"))
                    // Ends on graceful shutdown, so an open feed never holds the service up.
                    for try await event in subscription.cancelOnGracefulShutdown() {
                        var line = Array("id: \(event.position)\ndata: ".utf8)
                        line += ArchiveFormat.eventLine(event, registry: registry)
                        line += Array("\n\n".utf8)
                        try await writer.write(ByteBuffer(bytes: line))
                        if let until, event.position >= until {
                            try await writer.write(ByteBuffer(string: "event: end\ndata: \(event.position)\n\n"))
                            break
                        }
                    }
                } catch is CancellationError {
                    // The client went away or the service stops.
                } catch {
                    await feeds.closed()
                    throw error
                }
                await feeds.closed()
                try await writer.finish(nil)
            })
        }
    }
}
