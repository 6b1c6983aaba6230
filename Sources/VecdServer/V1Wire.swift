import Foundation
import Hummingbird

/// Encodes nil as JSON `null` instead of leaving the key out, so a /v1 response always has the same keys and a
/// client can index them without checking first (as the seed routes do for their nullable columns).
@propertyWrapper
struct NullEncoded<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

/// Request pieces and answers the /v1 routes share.
enum V1Wire {
    /// 204 with no body: what a successful delete answers.
    static func noContent() -> Response { Response(status: .noContent) }

    /// A path parameter, percent-decoded (Hummingbird hands path segments over still encoded, and ids such as
    /// preference keys or the caller's own message ids may hold spaces or other reserved characters).
    static func pathParameter(_ name: String, in context: ServerContext) throws -> String {
        let raw = try context.parameters.require(name)
        guard let decoded = raw.removingPercentEncoding, !decoded.isEmpty else {
            throw APIError.invalidArgument("the path parameter \(name) is not valid percent-encoded text: \(raw)")
        }
        return decoded
    }

    /// `k` (or `limit`) of a request body, refused outside `1...maxK` with the limit in the message.
    static func checkK(_ k: Int, name: String = "k", maxK: Int) throws {
        guard (1...maxK).contains(k) else {
            throw APIError.invalidArgument("\(name) must be in 1...\(maxK), got \(k)")
        }
    }

    /// Refuses a batch of more than `maxBatch` items with 413 `too_large`.
    static func checkBatch(_ count: Int, what: String, maxBatch: Int) throws {
        guard count <= maxBatch else {
            throw APIError(
                .contentTooLarge, "too_large", "\(what) has \(count) items; the limit is \(maxBatch) per request")
        }
    }

    /// A comma-separated query parameter as a list (`tags=a,b`), empty items dropped.
    static func list(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
