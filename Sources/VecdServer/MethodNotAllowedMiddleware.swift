import HTTPTypes
import Hummingbird

/// Answers 405 `method_not_allowed`, with an `Allow` header, for a path that a route serves under other methods;
/// a path no route serves stays 404 `route_not_found`.
///
/// The router sends every request it cannot match to its not-found responder, which runs the middleware added
/// after the routes; this middleware is added last, so it sees exactly those requests.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let table: RouteMethodTable

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let methods = table.methods(forPath: request.uri.path)
        guard !methods.isEmpty, !methods.contains(request.method.rawValue) else {
            return try await next(request, context)
        }
        let allowed = methods.sorted()
        var response = try APIError(
            .methodNotAllowed, "method_not_allowed",
            "\(request.method.rawValue) is not allowed on this path; it takes \(allowed.joined(separator: ", "))"
        ).response(from: request, context: context)
        response.headers[.allow] = allowed.joined(separator: ", ")
        return response
    }
}

/// The methods each registered path template takes, matched segment by segment (`{name}` matches any one
/// segment, `*` any one, `**` the rest).
struct RouteMethodTable: Sendable {
    private let routes: [(segments: [Substring], method: String)]

    init(_ routes: [(path: String, method: String)]) {
        self.routes = routes.map { (Self.segments($0.path), $0.method) }
    }

    /// Every method some route takes at `path`; empty when no route has that path.
    func methods(forPath path: String) -> Set<String> {
        let request = Self.segments(path)
        var methods = Set<String>()
        for route in routes where Self.matches(route.segments, request) { methods.insert(route.method) }
        return methods
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(_ template: [Substring], _ path: [Substring]) -> Bool {
        var index = 0
        for segment in template {
            if segment == "**" { return index < path.count }
            guard index < path.count else { return false }
            let isCapture = segment.hasPrefix("{") || segment.hasPrefix(":") || segment == "*"
            if !isCapture && segment != path[index] { return false }
            index += 1
        }
        return index == path.count
    }
}
