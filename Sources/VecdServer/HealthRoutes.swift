import Hummingbird
import Vecd

/// Liveness and readiness probes; they need no API key.
struct HealthRoutes {
    let services: ServerServices

    struct Status: Codable, Sendable {
        var status: String
    }

    func register(on router: Router<ServerContext>) {
        router.get("healthz") { _, _ in try JSONWire.response(Status(status: "ok")) }
        router.get("readyz") { _, _ in
            // Ready means the store answers a read; a store that cannot is a 503, so a balancer stops sending.
            do {
                _ = try services.store.collections()
                return try JSONWire.response(Status(status: "ready"))
            } catch {
                return try JSONWire.response(Status(status: "unavailable: \(error)"), status: .serviceUnavailable)
            }
        }
    }
}
