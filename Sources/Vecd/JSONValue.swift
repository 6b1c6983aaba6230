@_exported public import VecdJSON
import Foundation

extension JSONValue {
    /// Compact JSON text with sorted keys (stable, so equal values store equal text).
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a JSONValue cannot fail: every case maps to JSON, and non-finite numbers are refused on input.
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses JSON text; nil when it is not valid JSON.
    public init?(jsonText: String) {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(jsonText.utf8)) else { return nil }
        self = value
    }
}

/// Arbitrary key-value data attached to a row.
public typealias Metadata = [String: JSONValue]

extension Dictionary where Key == String, Value == JSONValue {
    /// The metadata as compact JSON object text.
    var jsonText: String { JSONValue.object(self).jsonText }

    /// Parses stored object text; stored text was checked by SQLite, so a failure reads as empty metadata.
    static func parse(_ text: String) -> Metadata {
        // Most rows hold flat or empty metadata, and a search reads it for every hit: JSONDecoder, trying each JSON
        // type in turn, cost 16% of a search's CPU under load (BENCHMARKS.md section 9).
        if let flat = FlatMetadataText.parse(text) { return flat }
        if case .object(let object) = JSONValue(jsonText: text) { return object }
        return [:]
    }
}

extension JSONValue {
    /// Whether every number inside is finite (JSON has no NaN or infinity).
    var isFinite: Bool {
        switch self {
        case .number(let value): return value.isFinite
        case .array(let values): return values.allSatisfy(\.isFinite)
        case .object(let values): return values.values.allSatisfy(\.isFinite)
        default: return true
        }
    }
}

/// Tags stored as a JSON array of strings.
enum TagList {
    static func encode(_ tags: [String]) -> String { JSONValue.array(tags.map { .string($0) }).jsonText }

    static func decode(_ text: String) -> [String] {
        guard case .array(let values) = JSONValue(jsonText: text) else { return [] }
        return values.compactMap { if case .string(let tag) = $0 { tag } else { nil } }
    }
}
