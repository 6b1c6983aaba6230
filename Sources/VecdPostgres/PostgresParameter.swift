import Foundation

/// One parameter of a parameterized statement (`$1`, `$2`, …): its bytes, whether they are PostgreSQL's text or
/// binary form, and the type OID the server should read them as.
///
/// Text-form parameters (``text(_:)``) leave the type to the server, so they also carry literals for any type
/// (`'2026-01-02 03:04:05+00'` for a `timestamptz`). The typed factories send binary, which is exact (no float
/// printing) and cheaper to parse. Invalid values (a NUL byte in text, a non-finite vector component) are
/// reported as ``PostgresError/Code-swift.struct/invalidParameter`` when the statement runs, before anything is sent.
public struct PostgresParameter: Sendable {
    /// Text form (0) or binary form (1), as libpq numbers them.
    public enum Format: Int32, Sendable {
        case text = 0
        case binary = 1
    }

    /// The encoded value, or nil for SQL NULL.
    public var bytes: [UInt8]?
    /// How ``bytes`` is encoded.
    public var format: Format
    /// The type the server reads the value as; ``PostgresTypeOID/unspecified`` lets it infer.
    public var type: PostgresTypeOID
    /// Why the value cannot be sent, found when it was made; reported when the statement runs.
    var problem: String?

    /// A parameter from raw parts, for types without a factory here.
    public init(bytes: [UInt8]?, format: Format, type: PostgresTypeOID = .unspecified) {
        self.bytes = bytes
        self.format = format
        self.type = type
    }

    /// SQL NULL (of whatever type the statement needs).
    public static let null = PostgresParameter(bytes: nil, format: .text)

    /// A string in text form; the server infers the type (text, varchar, or a literal of another type).
    /// PostgreSQL text cannot contain NUL, so a string with U+0000 is rejected.
    public static func text(_ value: String) -> PostgresParameter {
        var parameter = PostgresParameter(bytes: Array(value.utf8), format: .text)
        parameter.problem = nulProblem(parameter.bytes!)
        return parameter
    }

    /// A `bigint` (int8), binary.
    public static func int64(_ value: Int64) -> PostgresParameter { binary(value, .int8) }
    /// An `integer` (int4), binary.
    public static func int32(_ value: Int32) -> PostgresParameter { binary(value, .int4) }
    /// A `bigint` (int8) from a Swift `Int`, binary.
    public static func int(_ value: Int) -> PostgresParameter { binary(Int64(value), .int8) }
    /// A `boolean`, binary.
    public static func bool(_ value: Bool) -> PostgresParameter {
        PostgresParameter(bytes: [value ? 1 : 0], format: .binary, type: .bool)
    }
    /// A `double precision` (float8), binary and bit-exact.
    public static func double(_ value: Double) -> PostgresParameter { binary(value.bitPattern, .float8) }
    /// A `real` (float4), binary and bit-exact.
    public static func float(_ value: Float) -> PostgresParameter { binary(value.bitPattern, .float4) }
    /// A `bytea`, binary (any bytes, NUL included).
    public static func bytea(_ value: [UInt8]) -> PostgresParameter {
        PostgresParameter(bytes: value, format: .binary, type: .bytea)
    }
    /// A `uuid`, binary (16 bytes).
    public static func uuid(_ value: UUID) -> PostgresParameter {
        PostgresParameter(bytes: PostgresBinary.uuidBytes(value), format: .binary, type: .uuid)
    }

    /// A `timestamptz`, to the microsecond; `Date.distantFuture`/`distantPast` are `infinity`/`-infinity`.
    public static func timestamptz(_ value: Date) -> PostgresParameter {
        binary(PostgresBinary.timestampMicroseconds(value), .timestamptz)
    }

    /// A `jsonb` from its JSON text (the server validates it). JSON text cannot carry a raw NUL either.
    public static func jsonb(_ json: String) -> PostgresParameter {
        let text = Array(json.utf8)
        // jsonb's binary form is a version byte (1) followed by the JSON text.
        var parameter = PostgresParameter(bytes: [1] + text, format: .binary, type: .jsonb)
        parameter.problem = nulProblem(text)
        return parameter
    }

    /// A pgvector `vector` in its binary form. Its OID is assigned per database, so the type is left for the
    /// server to infer: write `$1::vector` where the statement does not imply it (`embedding <=> $1` does).
    public static func vector<C: Collection<Float>>(_ values: C) -> PostgresParameter {
        var parameter = PostgresParameter(bytes: nil, format: .binary)
        if let problem = PostgresBinary.vectorProblem(values) {
            parameter.bytes = []
            parameter.problem = problem
        } else {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(4 + values.count * 4)
            PostgresBinary.appendVector(values, to: &bytes)
            parameter.bytes = bytes
        }
        return parameter
    }

    /// A `bigint[]`, e.g. for `WHERE id = ANY($1)`.
    public static func int64Array(_ values: [Int64]) -> PostgresParameter {
        let elements = values.map { value -> [UInt8]? in
            var bytes: [UInt8] = []
            PostgresBinary.append(value, to: &bytes)
            return bytes
        }
        return PostgresParameter(
            bytes: PostgresBinary.array(elementOID: PostgresTypeOID.int8.rawValue, elements: elements), format: .binary,
            type: .int8Array)
    }

    /// A `uuid[]`.
    public static func uuidArray(_ values: [UUID]) -> PostgresParameter {
        PostgresParameter(
            bytes: PostgresBinary.array(
                elementOID: PostgresTypeOID.uuid.rawValue, elements: values.map { PostgresBinary.uuidBytes($0) }),
            format: .binary, type: .uuidArray)
    }

    /// A `text[]`; NULL elements are allowed, NUL bytes are not.
    public static func textArray(_ values: [String?]) -> PostgresParameter {
        let elements = values.map { $0.map { Array($0.utf8) } }
        var parameter = PostgresParameter(
            bytes: PostgresBinary.array(elementOID: PostgresTypeOID.text.rawValue, elements: elements),
            format: .binary, type: .textArray)
        parameter.problem = elements.lazy.compactMap { $0.flatMap(nulProblem) }.first
        return parameter
    }

    private static func binary<T: FixedWidthInteger>(_ value: T, _ type: PostgresTypeOID) -> PostgresParameter {
        var bytes: [UInt8] = []
        PostgresBinary.append(value, to: &bytes)
        return PostgresParameter(bytes: bytes, format: .binary, type: type)
    }

    static func nulProblem(_ utf8: [UInt8]) -> String? {
        guard let offset = utf8.firstIndex(of: 0) else { return nil }
        return "text contains a NUL byte (U+0000) at UTF-8 offset \(offset); PostgreSQL text and JSON cannot store NUL"
    }
}
