import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Vecd

/// Turns every error a handler or an inner middleware throws into an ``APIError`` response, so clients always get
/// the JSON error shape (Hummingbird's own 404s, 405s and body-limit errors included) and system failures are logged
/// once, with the request they broke.
///
/// A response body says what the caller can act on and nothing of the server's inside: a failure of the system
/// (5xx) answers a fixed sentence with the request id, and the error itself goes to the log under that id.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Keeps server-side text (the data directory's path among it) out of every message.
    var textGuard = ResponseTextGuard()

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let described = Self.describe(error, requestID: context.id)
            let apiError = textGuard.checked(described, requestID: context.id)
            if apiError.status.code >= 500 || apiError.message != described.message {
                context.logger.error(
                    "request failed",
                    metadata: [
                        "method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)",
                    ])
            }
            var response = try apiError.response(from: request, context: context)
            if Self.closesConnection(error) { response.headers[.connection] = "close" }
            return response
        }
    }

    /// The client-facing form of `error`, before ``ResponseTextGuard`` checks its message; `requestID` names the
    /// log line of a system failure.
    static func describe(_ error: any Error, requestID: String) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as VecdError:
            let apiError = APIError(error)
            return apiError.status.code >= 500 && error.code != .embedderFailed
                ? internalFailure(requestID: requestID) : apiError
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "body_too_large", "the request body is over the server's limit")
        case is HTTPParserError:
            // The body broke HTTP/1.1 framing (a bad chunk size, fewer bytes than Content-Length before the
            // connection ended): the client's fault, and nothing more can be read on this connection.
            return APIError(
                .badRequest, "bad_request",
                "the request body is not valid HTTP/1.1 framing (a malformed chunk, or fewer bytes than "
                    + "Content-Length announced); the connection is closed")
        case let error as HTTPError:
            let code =
                switch error.status {
                case .notFound: "route_not_found"
                case .methodNotAllowed: "method_not_allowed"
                case .contentTooLarge: "body_too_large"
                case .badRequest: "bad_request"
                default: "http_\(error.status.code)"
                }
            let message =
                switch error.status {
                case .notFound: "no route has this path; formats/openapi.yaml lists them"
                default: error.body ?? error.status.reasonPhrase
                }
            return APIError(error.status, code, message)
        default:
            return internalFailure(requestID: requestID)
        }
    }

    /// The answer to a failure of the system: what happened in the client's terms, and where the detail is.
    static func internalFailure(requestID: String) -> APIError {
        APIError(
            .internalServerError, "internal",
            "the server failed to complete this request; its log has the details under request id \(requestID)")
    }

    /// Whether the connection cannot carry another request after this error.
    static func closesConnection(_ error: any Error) -> Bool { error is HTTPParserError }
}
