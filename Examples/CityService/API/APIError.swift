import CaseLedger
import CaseManagement
import Foundation
import Hummingbird

/// An API failure as JSON: `{"error": code, "message": …}` with its status.
///
/// - 400 `bad-request`: malformed input; nothing written.
/// - 401 `unauthorized`, 403 `forbidden`: no or the wrong role; nothing written.
/// - 404 `not-found`: no such ticket, stream or route.
/// - 409: a domain rule about the case's state (its rule code, such as
///   `step-out-of-order`), or `wrong-expected-version` (`If-Match` is stale).
/// - 422: a domain rule about the values given (its rule code, such as
///   `invalid-rating`).
/// - 503 `store-unavailable`: the store failed (a full disk, an unreachable
///   server); nothing acknowledged was lost.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSON.response(["error": code, "message": message], status: status)
    }

    /// A malformed request.
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad-request", message) }

    /// A missing thing.
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not-found", message) }

    /// The API's answer to `error`, thrown by a command or a query.
    static func from(_ error: any Error) -> any Error {
        switch error {
        case let error as APIError: return error
        case let error as HTTPError: return error
        case let rule as DomainRuleError:
            let code = rule.rule.rawValue
            switch rule.rule {
            case .unknownCase: return APIError(.notFound, code, rule.message)
            case .stepOutOfOrder, .alreadyExists, .alreadyConcluded, .riskPointAlreadyClosed, .openRiskPoints, .alreadyDone:
                return APIError(.conflict, code, rule.message)
            default: return APIError(.unprocessableContent, code, rule.message)
            }
        case let error as EventStoreError:
            switch error.code {
            case .wrongExpectedVersion: return APIError(.preconditionFailed, "wrong-expected-version", error.message)
            case .invalidStreamName, .payloadTooLarge, .invalidArgument, .emptyBatch: return APIError.badRequest(error.message)
            case .eventIDReused: return APIError(.conflict, "event-id-reused", error.message)
            default: return APIError(.serviceUnavailable, "store-unavailable", error.message)
            }
        case let error as DecodingError: return APIError.badRequest(Self.describe(error))
        case let error as CodecError: return APIError.badRequest(error.message)
        default: return APIError(.internalServerError, "internal", "\(error)")
        }
    }

    /// A one-line account of a JSON body that does not decode.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "the body" : "field \(path)"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context) == "the body" ? "" : path(context) + ": ")missing field \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "the body is not valid JSON for this request"
        }
    }
}

/// JSON responses.
enum JSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `value` as a JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"internal","message":"the answer could not be encoded"}"#.utf8)
        return raw(data, status: status, headers: headers)
    }

    /// JSON bytes as a response.
    static func raw(_ data: some Collection<UInt8>, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Decodes a request's JSON body (at most 1 MiB), or 400.
    static func body<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 1 << 20)
        } catch {
            throw APIError.badRequest("the body is over 1 MiB")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError.badRequest(APIError.describe(error))
        }
    }
}
