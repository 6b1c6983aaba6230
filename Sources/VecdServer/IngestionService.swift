import Logging
import ServiceLifecycle
import Vecd

/// The ingestion workers as a service of the server's group: takes up the jobs a previous run left queued or
/// interrupted when the server starts, and on a graceful shutdown stops them within the configured drain bound.
///
/// It comes after the HTTP application in the group, so a shutdown stops it first: the running groups are stored
/// and the jobs left `queued` before the application stops taking requests (a `wait` request then answers 202).
struct IngestionService: Service {
    let store: VecdStore
    let drain: Duration
    let logger: Logger

    func run() async throws {
        do {
            let resumed = try store.resumeIngestion()
            if !resumed.isEmpty {
                logger.notice(
                    "taking up ingestion jobs left unfinished", metadata: ["jobs": "\(resumed.joined(separator: ","))"])
            }
        } catch {
            // The jobs stay queued (nothing was lost) and are taken up at the next start.
            logger.error("cannot take up the queued ingestion jobs", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
        let stop = await store.stopIngestion(within: drain)
        if !stop.drained.isEmpty || !stop.cut.isEmpty {
            logger.notice(
                "ingestion stopped; the rest of each job stays queued for the next start",
                metadata: [
                    "drained": "\(stop.drained.joined(separator: ","))", "cut": "\(stop.cut.joined(separator: ","))",
                ])
        }
    }
}
