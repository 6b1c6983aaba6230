public import Foundation

/// A cached response (seed 002's `response_cache`).
public struct CacheEntry: Sendable, Equatable {
    public var query: String
    public var response: String
    public var modelID: String
    public var metadata: Metadata
    public var hitCount: Int
    public var byteCount: Int
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastAccessedAt: Date
}

/// How a lookup was answered.
public enum CacheMatch: Sendable, Equatable {
    /// The normalized query was cached as such.
    case exact
    /// A different cached query was close enough in meaning.
    case semantic(similarity: Double)
}

/// A cache hit.
public struct CacheHit: Sendable, Equatable {
    public var entry: CacheEntry
    public var match: CacheMatch
}

/// Cache counters of one tenant (seed 002's `/cache/stats`).
public struct CacheStats: Sendable, Equatable {
    public var hits: Int
    public var misses: Int
    /// `hits / (hits + misses)`, 0 before the first lookup.
    public var hitRate: Double
    public var entries: Int
    /// UTF-8 bytes of the cached queries and responses.
    public var bytes: Int
}

/// How queries are compared for an exact hit.
enum QueryNormalizer {
    /// Lower-cased, whitespace collapsed, trailing `? ! .` and spaces dropped: "Turn on the lights?" and
    /// "turn on  the lights" are the same query.
    static func normalize(_ query: String) -> String {
        var text = query.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        while let last = text.last, "?!.。？！ ".contains(last) { text.removeLast() }
        return text
    }

    /// Two independent 64-bit FNV-1a hashes of the normalized query, as 32 hex digits. Not cryptographic: a hit
    /// also compares the stored query's normalized text, so a collision can never return another query's answer.
    static func hash(_ normalized: String) -> String {
        var first: UInt64 = 0xCBF2_9CE4_8422_2325
        var second: UInt64 = 0x8422_2325_CBF2_9CE4
        for byte in normalized.utf8 {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            second = (second ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_0129
        }
        return hex(first) + hex(second)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
