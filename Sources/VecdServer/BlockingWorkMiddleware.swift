import Hummingbird

/// Runs everything further in — the other middleware and the route handler — on ``BlockingWorkExecutor``'s
/// threads, so that store calls that block never occupy Swift's cooperative pool (see there for why).
struct BlockingWorkMiddleware<Context: RequestContext>: RouterMiddleware {
    let executor: BlockingWorkExecutor

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await withTaskExecutorPreference(executor) { try await next(request, context) }
    }
}
