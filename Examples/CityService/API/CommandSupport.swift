import CaseLedger
import Foundation
import Hummingbird

/// What a command answers: the stream, its new version (also the `ETag`,
/// for the next `If-Match`) and the log positions of the new events.
struct CommandResult: Codable, Sendable {
    var stream: String
    var version: UInt64
    var positions: [UInt64]

    init(stream: String, _ result: AppendResult) {
        self.stream = stream
        version = result.streamVersion
        positions = result.positions
    }

    var response: Response {
        JSON.response(self, status: positions.isEmpty ? .ok : .created, headers: [.eTag: "\"\(version)\""])
    }
}

extension Request {
    /// The stream version of `If-Match` (`"3"`, `3` or `W/"3"`), `nil`
    /// without one; a value that is not a version is 400.
    func expectedVersion() throws -> UInt64? {
        guard let raw = headers[.ifMatch] else { return nil }
        var text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("W/") { text.removeFirst(2) }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let version = UInt64(text) else { throw APIError.badRequest("If-Match must be a stream version, such as \"3\"; got \(raw)") }
        return version
    }

    /// A query parameter as a number, or 400.
    func number(_ name: String) throws -> UInt64? {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        guard let value = UInt64(raw) else { throw APIError.badRequest("?\(name)= must be a whole number; got \(raw)") }
        return value
    }
}

/// Maps what handlers throw (domain rules, store errors, bodies that do not
/// decode) to the API's statuses and JSON errors.
struct ErrorMapping<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw APIError.from(error)
        }
    }
}
