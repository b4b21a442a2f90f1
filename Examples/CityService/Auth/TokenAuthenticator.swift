import Hummingbird
import HummingbirdAuth

/// Finds the principal of a request's bearer token (`Authorization: Bearer
/// …`, or `?token=…` for the event feed, which browsers open without
/// headers). A request without a known token goes on unauthenticated, and
/// the API answers it 401.
struct TokenAuthenticator: AuthenticatorMiddleware {
    typealias Context = CityContext
    let tokens: TokenBook

    func authenticate(request: Request, context: CityContext) async throws -> Principal? {
        if let bearer = request.headers.bearer { return tokens.principal(for: bearer.token) }
        if let token = request.uri.queryParameters.get("token") { return tokens.principal(for: token) }
        return nil
    }
}
