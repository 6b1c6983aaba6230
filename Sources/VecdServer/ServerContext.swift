public import Hummingbird

/// The per-request context: Hummingbird's core storage plus the caller that ``AuthMiddleware`` authenticated.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Nil until authentication succeeded; handlers reach it only through ``require(_:)``.
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
    }

    /// The caller, refused with 401 when unauthenticated and 403 when its role is below `role`.
    public func require(_ role: Role) throws -> Principal {
        guard let principal else {
            throw APIError(.unauthorized, "unauthorized", "this route needs an API key: Authorization: Bearer <key>")
        }
        guard principal.role >= role else {
            throw APIError.forbidden("this route needs the \(role.rawValue) role; the key has \(principal.role.rawValue)")
        }
        return principal
    }
}
