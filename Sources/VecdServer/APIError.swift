public import Hummingbird
import Vecd

/// An error answered as `{"error":{"code":…,"message":…}}` with its HTTP status.
///
/// Every failure a client can see goes through this type, so the body shape never varies: handlers throw it
/// directly for HTTP-level problems, and ``ErrorMiddleware`` maps store errors and Hummingbird's own errors onto it.
public struct APIError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A stable, machine-readable code such as `dimension_mismatch` or `not_found`.
    public var code: String
    /// What was expected, what came in, and where; safe to show to the caller.
    public var message: String

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        let body = ErrorBody(error: .init(code: code, message: message))
        return Response(status: status, headers: headers, body: .init(byteBuffer: try JSONWire.encode(body)))
    }

    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code, message) }
    static func invalidArgument(_ message: String) -> APIError { .badRequest("invalid_argument", message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }

    /// The status and code of a store error: refusals of the request are 4xx, failures of the system 5xx.
    init(_ error: VecdError) {
        let status: HTTPResponse.Status =
            switch error.code {
            case .notFound: .notFound
            case .forbidden: .forbidden
            case .conflict, .modelMismatch: .conflict
            case .tooLarge: .contentTooLarge
            case .unsupportedDocument: .unsupportedMediaType
            case .embedderFailed: .badGateway
            case .insufficientStorage: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
            case .storageReadOnly: .serviceUnavailable
            case .storage, .schemaTooNew: .internalServerError
            default: error.isUserError ? .badRequest : .internalServerError
            }
        self.init(status, error.code.rawValue, error.message)
    }
}

struct ErrorBody: Codable, Sendable {
    struct Detail: Codable, Sendable {
        var code: String
        var message: String
    }
    var error: Detail
}
