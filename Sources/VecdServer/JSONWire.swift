import Foundation
import Hummingbird
import NIOCore

/// The server's JSON encoding and decoding, with request-body errors a client can act on.
enum JSONWire {
    /// Encodes `value` compactly with sorted keys, so equal answers are byte-equal.
    static func encode(_ value: some Encodable) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ByteBuffer(bytes: try encoder.encode(value))
    }

    /// A JSON response with `status`.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        response(encoded: try encode(value), status: status)
    }

    /// A response carrying JSON already encoded.
    static func response(encoded body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// Reads the body (refusing more than `limit` bytes with 413) and decodes it as `T`, answering 400 with the
    /// field and the problem when the JSON is malformed or has the wrong shape.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try decode(type, from: try await body(of: request, limit: limit))
    }

    /// The request body, refusing more than `limit` bytes with 413 and an empty body with 400.
    static func body(of request: Request, limit: Int) async throws -> ByteBuffer {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "body_too_large", "the request body is over the limit of \(limit) bytes")
        }
        guard body.readableBytes > 0 else {
            throw APIError.badRequest("invalid_json", "the request needs a JSON body")
        }
        return body
    }

    /// Decodes a collected body as `T`, with the errors of ``decode(_:from:limit:)``: the body must be strict
    /// RFC 8259 JSON (``StrictJSON``), and every member must be one `T` reads (``StrictJSONDecoder``), else 400
    /// `unknown_field` naming it and what its object takes.
    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws -> T {
        let tree: StrictJSON
        do {
            tree = try body.withUnsafeReadableBytes { bytes throws(StrictJSON.SyntaxError) in
                try StrictJSON.parse(bytes)
            }
        } catch {
            throw APIError.badRequest("invalid_json", error.message)
        }
        do {
            return try StrictJSONDecoder.decode(T.self, from: tree)
        } catch let error as UnknownFieldError {
            throw APIError.badRequest("unknown_field", error.message)
        } catch let error as DecodingError {
            throw APIError.badRequest("invalid_json", describe(error))
        }
    }

    /// A one-line explanation of a decoding failure naming the JSON path.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let rendered = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return rendered.isEmpty ? "the body" : String(rendered.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is required"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) must be \(jsonTypeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) must be \(jsonTypeName(type)), not null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            return DecodingErrorText.corruptedValue(at: path(context.codingPath), context.debugDescription)
        @unknown default:
            return "the body does not match the expected shape"
        }
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
