import NIOCore

/// The fast path for the body of `POST /v1/collections/{name}/search`: reads the shapes clients send on every query
/// (`vector`, `query`, `k`, `ef_search`, `mode`, `min_score`, in any order, any of them null) straight from the bytes.
///
/// Decoding 384 numbers through `JSONDecoder` and Codable cost more CPU than the HNSW walk under load (BENCHMARKS.md
/// section 9). What it takes is a subset of strict JSON with known keys only, so it never accepts a body the Codable
/// path refuses. Anything else — `filter`, `weights`, unknown or repeated keys, escapes, trailing commas, numbers it
/// cannot convert exactly, malformed JSON — returns nil, and the route decodes the same bytes through ``JSONWire``
/// (``StrictJSON`` and ``StrictJSONDecoder``), so answers and error messages are those of the Codable path.
enum SearchRequestScanner {
    static func scan(_ body: ByteBuffer) -> V1SearchRoutes.SearchRequest? {
        body.withUnsafeReadableBytes { scan($0) }
    }

    static func scan(_ bytes: UnsafeRawBufferPointer) -> V1SearchRoutes.SearchRequest? {
        var scanner = JSONByteScanner(bytes)
        var request = V1SearchRoutes.SearchRequest()
        var seen = SeenKeys()
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        if !scanner.consume(UInt8(ascii: "}")) {
            repeat {
                guard let key = scanner.plainStringBytes().flatMap(Key.init), seen.insert(key),
                    scanner.consume(UInt8(ascii: ":")), read(key, into: &request, from: &scanner)
                else { return nil }
            } while scanner.consume(UInt8(ascii: ","))
            guard scanner.consume(UInt8(ascii: "}")) else { return nil }
        }
        // Only whitespace may follow the object.
        guard scanner.peek() == nil else { return nil }
        return request
    }

    /// The keys this path reads; any other key (including `filter` and `weights`) sends the body to `JSONDecoder`.
    private enum Key: Int {
        case vector, query, k, efSearch, mode, minScore

        init?(_ bytes: UnsafeRawBufferPointer) {
            switch bytes.count {
            case 1 where bytes[0] == UInt8(ascii: "k"): self = .k
            case 4 where bytes.elementsEqual("mode".utf8): self = .mode
            case 5 where bytes.elementsEqual("query".utf8): self = .query
            case 6 where bytes.elementsEqual("vector".utf8): self = .vector
            case 9 where bytes.elementsEqual("min_score".utf8): self = .minScore
            case 9 where bytes.elementsEqual("ef_search".utf8): self = .efSearch
            default: return nil
            }
        }
    }

    /// `JSONDecoder` keeps the first of repeated keys and some clients the last; a repeated key goes to the slow path.
    private struct SeenKeys {
        private var bits = 0

        mutating func insert(_ key: Key) -> Bool {
            let bit = 1 << key.rawValue
            defer { bits |= bit }
            return bits & bit == 0
        }
    }

    /// Reads the value of `key`; false when the value is not one this path reproduces exactly.
    private static func read(
        _ key: Key, into request: inout V1SearchRoutes.SearchRequest, from scanner: inout JSONByteScanner
    ) -> Bool {
        // `decodeIfPresent` reads null as absent, for every key.
        if scanner.consumeNull() { return true }
        switch key {
        case .vector:
            guard let vector = floats(from: &scanner) else { return false }
            request.vector = vector
        case .query:
            guard let query = scanner.plainString() else { return false }
            request.query = query
        case .k:
            guard let k = scanner.number()?.intValue else { return false }
            request.k = k
        case .efSearch:
            guard let efSearch = scanner.number()?.intValue else { return false }
            request.efSearch = efSearch
        case .minScore:
            guard let minScore = scanner.number()?.doubleValue else { return false }
            request.minScore = minScore
        case .mode:
            guard let text = scanner.plainString(), let mode = V1SearchRoutes.Mode(rawValue: text) else { return false }
            request.mode = mode
        }
        return true
    }

    /// An array of numbers as Floats.
    private static func floats(from scanner: inout JSONByteScanner) -> [Float]? {
        guard scanner.consume(UInt8(ascii: "[")) else { return nil }
        var values: [Float] = []
        // Embedding models answer in a few hundred to a few thousand dimensions.
        values.reserveCapacity(512)
        if scanner.consume(UInt8(ascii: "]")) { return values }
        repeat {
            guard let value = scanner.number()?.floatValue else { return nil }
            values.append(value)
        } while scanner.consume(UInt8(ascii: ","))
        return scanner.consume(UInt8(ascii: "]")) ? values : nil
    }
}
