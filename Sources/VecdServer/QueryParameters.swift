import Foundation
import Hummingbird

/// Typed access to a request's query string, answering 400 with the parameter's name when a value is malformed.
struct QueryParameters {
    let values: Parameters

    init(_ request: Request) { values = request.uri.queryParameters }

    /// A present, non-blank string.
    func requiredString(_ name: String) throws -> String {
        guard let value = string(name) else {
            throw APIError.invalidArgument("the query parameter \(name) is required")
        }
        return value
    }

    /// The value, or nil when absent or blank.
    func string(_ name: String) -> String? {
        guard let value = values.get(name), !value.allSatisfy(\.isWhitespace) else { return nil }
        return value
    }

    /// An integer in `range`, `defaultValue` when absent.
    func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.invalidArgument(
                "\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), got \(text)")
        }
        return value
    }

    /// `true`/`false` (also `1`/`0`), `defaultValue` when absent.
    func bool(_ name: String, default defaultValue: Bool = false) throws -> Bool {
        guard let text = string(name)?.lowercased() else { return defaultValue }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError.invalidArgument("\(name) must be true or false, got \(text)")
        }
    }

    /// An ISO 8601 timestamp or date (`2026-11-23`, `2026-11-23T10:00:00Z`, with or without fractional seconds).
    func date(_ name: String) throws -> Date? {
        guard let text = string(name) else { return nil }
        guard let date = WireDate.parse(text) else {
            throw APIError.invalidArgument("\(name) must be an ISO 8601 date or timestamp, got \(text)")
        }
        return date
    }
}

/// Timestamps on the wire: ISO 8601 in UTC with milliseconds, the precision the store keeps.
enum WireDate {
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle().year().month().day().parse(text)
    }
}
