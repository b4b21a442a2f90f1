import Hummingbird
import HummingbirdAuth

/// The request context of the city service: Hummingbird's core context and
/// the caller, once authenticated.
struct CityContext: AuthRequestContext, RequestContext {
    var coreContext: CoreRequestContextStorage
    var identity: Principal?

    init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// The caller, or 401.
    func caller() throws -> Principal {
        guard let identity else { throw APIError(.unauthorized, "unauthorized", "a bearer token is required (Authorization: Bearer …)") }
        return identity
    }

    /// The caller when their role is one of `roles`, or 403.
    func caller(_ roles: Principal.Role..., doing what: String) throws -> Principal {
        let principal = try caller()
        guard roles.contains(principal.role) else {
            throw APIError(.forbidden, "forbidden", "a \(principal.role.rawValue) may not \(what)")
        }
        return principal
    }
}
