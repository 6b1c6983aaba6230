@_exported public import VecdJSON
public import Foundation

#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif

/// An async/await client for a vecd server's HTTP API.
///
/// It depends on Foundation only (URLSession, which is libcurl on Linux), so an app or a test suite can talk to
/// `vecd serve` without linking the engine. Every method throws ``VecdClientError`` with the server's error code
/// when the server refuses a request.
///
/// ```swift
/// let client = VecdClient(baseURL: URL(string: "http://127.0.0.1:8080")!)
/// let added = try await client.addMemory(content: "Lights at 50% in the evening", tags: ["lighting"])
/// let hits = try await client.searchMemories(query: "lighting preferences", limit: 5)
/// ```
public struct VecdClient: Sendable {
    /// The server's root, e.g. `http://127.0.0.1:8080`.
    public let baseURL: URL
    /// Sent as `Authorization: Bearer <key>` when set.
    public let apiKey: String?
    let session: URLSession

    public init(baseURL: URL, apiKey: String? = nil, session: URLSession = .shared) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.session = session
    }

    /// Sends a request and decodes a JSON answer.
    public func send<Response: Decodable>(
        _ method: String, _ path: String, query: [String: String?] = [:], body: (some Encodable)? = Empty?.none,
        as type: Response.Type = Response.self
    ) async throws -> Response {
        let data = try await sendRaw(method, path, query: query, body: body)
        do {
            return try JSONDecoder().decode(Response.self, from: data)
        } catch {
            throw VecdClientError(status: 200, code: "unexpected_response", message: "\(method) \(path): \(error)")
        }
    }

    /// Sends a request and returns the raw body of a 2xx answer.
    public func sendRaw(
        _ method: String, _ path: String, query: [String: String?] = [:], body: (some Encodable)? = Empty?.none
    ) async throws -> Data {
        var request = URLRequest(url: try url(path, query: query))
        request.httpMethod = method
        if let body {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            request.httpBody = try encoder.encode(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else {
            throw VecdClientError(status: 0, code: "not_http", message: "\(method) \(path) got no HTTP response")
        }
        guard (200..<300).contains(http.statusCode) else { throw VecdClientError(status: http.statusCode, body: data) }
        return data
    }

    func url(_ path: String, query: [String: String?]) throws -> URL {
        guard var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) else {
            throw VecdClientError(status: 0, code: "bad_url", message: "cannot use \(baseURL) as a base URL")
        }
        components.path = (components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path) + path
        let items = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        if !items.isEmpty {
            components.queryItems = items.sorted { $0.name < $1.name }
            // URLComponents leaves '+' alone, which a server reads as a space.
            components.percentEncodedQuery = components.percentEncodedQuery?
                .replacingOccurrences(of: "+", with: "%2B")
        }
        guard let url = components.url else {
            throw VecdClientError(status: 0, code: "bad_url", message: "cannot build a URL for \(path)")
        }
        return url
    }

    /// No body.
    public struct Empty: Codable, Sendable {}
}

/// A request the server refused, or a transport failure.
public struct VecdClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status; 0 when no HTTP answer came.
    public var status: Int
    /// The server's `error.code`, e.g. `not_found` or `dimension_mismatch`.
    public var code: String
    public var message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// Reads the server's `{"error":{"code","message"}}` body, or keeps the raw text when it is not one.
    init(status: Int, body: Data) {
        struct Envelope: Decodable {
            struct Detail: Decodable {
                var code: String
                var message: String
            }
            var error: Detail
        }
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: body) {
            self.init(status: status, code: envelope.error.code, message: envelope.error.message)
        } else {
            self.init(status: status, code: "http_\(status)", message: String(decoding: body, as: UTF8.self))
        }
    }

    public var description: String { "\(status) \(code): \(message)" }
}
