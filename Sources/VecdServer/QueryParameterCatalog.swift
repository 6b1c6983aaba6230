import Hummingbird

/// The query parameters each route reads; any other parameter is refused with 400 `unknown_field` before the
/// handler runs, so `?limt=5` or `?userId=u1` cannot quietly widen or change an answer.
///
/// Kept beside the handlers' `QueryParameters` reads by hand; `OpenAPISpecTests` holds this table against
/// `formats/openapi.yaml`, so a parameter documented but missing here (or the reverse) fails the build's tests.
enum QueryParameterCatalog {
    /// `"METHOD /path/{capture}"` → the parameters it takes. A route absent here takes none.
    static let accepted: [String: Set<String>] = [
        "GET /api/v1/agent/kb/search": ["query", "vector", "k", "scope", "include_global", "user_id"],
        "GET /memory/search": ["query", "limit", "user_id", "tags"],
        "GET /preferences/get": ["key", "user_id"],
        "GET /training/export": ["since", "only_unexported", "mark_exported"],
        "DELETE /cache/clear": ["all"],
        "POST /v1/admin/compact": ["vacuum", "progress"],
        "POST /v1/admin/reindex": ["progress"],
        "POST /v1/admin/backup": ["progress"],
        "GET /v1/cache": ["query", "model_id", "semantic"],
        "DELETE /v1/cache": ["all"],
        "GET /v1/conversations": ["user_id", "session_id", "limit"],
        "GET /v1/conversations/{id}/messages": ["limit"],
        "GET /v1/collections/{name}/documents": ["limit", "offset"],
        "GET /v1/feedback": ["message_id", "rating", "since", "limit"],
        "GET /v1/feedback/topics": ["max_topics", "max_questions"],
        "GET /v1/memories": ["user_id", "scope", "tags", "limit", "offset"],
        "GET /v1/memories/{id}": ["user_id"],
        "PATCH /v1/memories/{id}": ["user_id"],
        "DELETE /v1/memories/{id}": ["user_id"],
        "GET /v1/preferences": ["user_id", "category"],
        "GET /v1/preferences/{key}": ["user_id"],
        "DELETE /v1/preferences/{key}": ["user_id"],
        "GET /v1/training/examples": ["since", "min_score", "only_unexported", "limit"],
        "GET /v1/training/export": ["since", "min_score", "only_unexported", "mark_exported"],
    ]

    /// A route template as the router spells it (`v1/memories/:id`) in the catalog's form (`/v1/memories/{id}`).
    static func operation(method: HTTPRequest.Method, endpointPath: String) -> String {
        let components = endpointPath.split(separator: "/").map { component in
            component.hasPrefix(":") ? "{\(component.dropFirst())}" : String(component)
        }
        return "\(method.rawValue) /" + components.joined(separator: "/")
    }

    /// Throws `unknown_field` for the first parameter the route does not take, and `invalid_argument` for one given
    /// twice (which of the two values counts would be a guess) or given empty.
    static func check(_ request: Request, endpointPath: String) throws {
        let parameters = request.uri.queryParameters
        guard !parameters.isEmpty else { return }
        let operation = operation(method: request.method, endpointPath: endpointPath)
        let accepted = accepted[operation] ?? []
        var seen = Set<Substring>()
        for (name, value) in parameters {
            guard accepted.contains(String(name)) else {
                let hint = FieldNameHint.closest(to: String(name), among: accepted.sorted())
                    .map { " (did you mean \($0)?)" } ?? ""
                let takes =
                    accepted.isEmpty ? "takes no query parameters" : "takes \(accepted.sorted().joined(separator: ", "))"
                throw APIError.badRequest(
                    "unknown_field", "unknown query parameter \(name)\(hint); \(operation) \(takes)")
            }
            guard seen.insert(name).inserted else {
                throw APIError.invalidArgument("the query parameter \(name) is given more than once")
            }
            // `?user_id=` from an unfilled template must not read as "no user" and widen the answer to the tenant.
            guard !value.allSatisfy(\.isWhitespace) else {
                throw APIError.invalidArgument("the query parameter \(name) is empty: give a value or leave it out")
            }
        }
    }
}

/// Refuses query parameters the matched route does not take (see ``QueryParameterCatalog``).
struct QueryParameterMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // Most requests (every search) carry no query string: nothing to look up.
        if let query = request.uri.query, !query.isEmpty, let path = context.endpointPath, path != "NotFound" {
            try QueryParameterCatalog.check(request, endpointPath: path)
        }
        return try await next(request, context)
    }
}

/// The accepted name a misspelt one most likely meant: the same letters ignoring case and `_`/`-`, or within two
/// edits.
enum FieldNameHint {
    static func closest(to name: String, among accepted: [String]) -> String? {
        let folded = fold(name)
        if let same = accepted.first(where: { fold($0) == folded }) { return same }
        guard name.count >= 4 else { return nil }
        let scored = accepted.map { ($0, distance(Array(folded), Array(fold($0)))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    private static func fold(_ text: String) -> String { text.lowercased().filter { $0 != "_" && $0 != "-" } }

    /// Levenshtein distance.
    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for (i, left) in a.enumerated() {
            var current = [i + 1]
            for (j, right) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
