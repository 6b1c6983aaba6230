import Hummingbird
import Logging
import NIOCore
import Vecd

/// Turns every error a handler or an inner middleware throws into an ``APIError`` response, so clients always get
/// the JSON error shape (Hummingbird's own 404s, 405s and body-limit errors included) and system failures are logged
/// once, with the request they broke.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error)
            if apiError.status.code >= 500 {
                context.logger.error(
                    "request failed",
                    metadata: [
                        "method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)",
                    ])
            }
            return try apiError.response(from: request, context: context)
        }
    }

    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as VecdError: return APIError(error)
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "body_too_large", "the request body is over the server's limit")
        case let error as HTTPError:
            let code =
                switch error.status {
                case .notFound: "route_not_found"
                case .methodNotAllowed: "method_not_allowed"
                case .contentTooLarge: "body_too_large"
                case .badRequest: "bad_request"
                default: "http_\(error.status.code)"
                }
            return APIError(error.status, code, error.body ?? error.status.reasonPhrase)
        default:
            return APIError(.internalServerError, "internal", "internal error: \(error)")
        }
    }
}
