import Foundation
import Hummingbird

/// Authenticates requests by bearer API key and stores the caller in the context.
///
/// With no keys configured every request acts as the admin of the default tenant (the server then refuses to bind
/// anything but loopback). Health probes never need a key, so orchestrators can poll them.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    let keys: [APIKey]
    let defaultPrincipal: Principal

    static let openPaths: Set<String> = ["/healthz", "/readyz"]

    func handle(
        _ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if keys.isEmpty {
            context.principal = defaultPrincipal
        } else if let token = Self.bearerToken(request) {
            guard let key = keys.first(where: { Self.constantTimeEqual($0.key, token) }) else {
                throw APIError(.unauthorized, "unauthorized", "the API key is not known to this server")
            }
            context.principal = key.principal
        } else if !Self.openPaths.contains(request.uri.path) {
            throw APIError(.unauthorized, "unauthorized", "this route needs an API key: Authorization: Bearer <key>")
        }
        return try await next(request, context)
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// Compares without an early exit, so response timing does not reveal how much of a key matched.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
