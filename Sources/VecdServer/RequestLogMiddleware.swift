import Foundation
import Hummingbird
import Logging

/// Records every request in ``MetricsRegistry`` and writes one structured log line for it: method, route
/// template, status, duration and tenant. The API key, the query string and bodies are never logged (queries and
/// bodies carry users' text).
///
/// It sits outside ``ErrorMiddleware`` so it sees the final status of refused and failed requests too. The caller
/// is authenticated further in, so the tenant is looked up here from the bearer key, through a dictionary (hashing
/// with a per-process seed, so lookup time says nothing useful about near-miss keys); an unknown key logs `-`.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: MetricsRegistry
    /// Tenant of each configured key; empty when the server runs without keys (every request is the default tenant).
    let tenantsByKey: [String: String]
    let defaultTenant: String

    /// Probes and scrapes are logged at debug: an orchestrator polling every second would drown the request log.
    static var quietRoutes: Set<String> { ["/healthz", "/readyz", "/metrics"] }

    init(metrics: MetricsRegistry, keys: [APIKey], defaultTenant: String = ServerConfiguration.defaultPrincipal.tenant) {
        self.metrics = metrics
        tenantsByKey = Dictionary(keys.map { ($0.key, $0.tenant) }, uniquingKeysWith: { first, _ in first })
        self.defaultTenant = defaultTenant
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        metrics.requestStarted()
        let status: Int
        let response: Response
        do {
            response = try await next(request, context)
            status = response.status.code
        } catch {
            // Only reached for an error no inner middleware turned into a response; Hummingbird answers it.
            status = (error as? any HTTPResponseError)?.status.code ?? 500
            finish(request, context: context, status: status, since: start)
            throw error
        }
        finish(request, context: context, status: status, since: start)
        return response
    }

    private func finish(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let route = Self.routeLabel(context.endpointPath)
        metrics.requestFinished(method: request.method.rawValue, route: route, status: status, seconds: seconds)
        let level: Logger.Level = Self.quietRoutes.contains(route) && status < 400 ? .debug : .info
        context.logger.log(
            level: level, "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(status)",
                "duration_ms": "\(String(format: "%.3f", seconds * 1_000))", "tenant": "\(tenant(of: request))",
            ])
    }

    /// The tenant the request's key belongs to, `-` for a missing or unknown key.
    private func tenant(of request: Request) -> String {
        if tenantsByKey.isEmpty { return defaultTenant }
        guard let token = AuthMiddleware.bearerToken(request) else { return "-" }
        return tenantsByKey[token] ?? "-"
    }

    /// The matched route's template, or `unmatched` for requests no route took (404s): raw paths would let any
    /// client create new series.
    static func routeLabel(_ endpointPath: String?) -> String {
        guard let path = endpointPath, path != "NotFound", !path.isEmpty else { return "unmatched" }
        return path.hasPrefix("/") ? path : "/" + path
    }
}
