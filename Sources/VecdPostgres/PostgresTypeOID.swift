/// A PostgreSQL type's object id, as libpq reports it for result columns and accepts for parameters.
///
/// Built-in types have fixed OIDs. Extension types such as pgvector's `vector` get theirs when the extension is
/// created, so they have no constant here: send them with ``unspecified`` and let the server infer the type from the
/// statement (write `$1::vector` where the context does not say).
public struct PostgresTypeOID: Hashable, Sendable, CustomStringConvertible {
    /// The raw OID.
    public let rawValue: UInt32

    /// Wraps a raw OID.
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    public var description: String { "OID \(rawValue)" }

    /// Zero: the server infers the parameter's type from the statement.
    public static let unspecified = PostgresTypeOID(0)
    /// `boolean` (OID 16).
    public static let bool = PostgresTypeOID(16)
    /// `bytea` (OID 17).
    public static let bytea = PostgresTypeOID(17)
    /// `name` (OID 19).
    public static let name = PostgresTypeOID(19)
    /// `bigint` (OID 20).
    public static let int8 = PostgresTypeOID(20)
    /// `smallint` (OID 21).
    public static let int2 = PostgresTypeOID(21)
    /// `integer` (OID 23).
    public static let int4 = PostgresTypeOID(23)
    /// `text` (OID 25).
    public static let text = PostgresTypeOID(25)
    /// `oid` (OID 26).
    public static let oid = PostgresTypeOID(26)
    /// `json` (OID 114).
    public static let json = PostgresTypeOID(114)
    /// `real` (OID 700).
    public static let float4 = PostgresTypeOID(700)
    /// `double precision` (OID 701).
    public static let float8 = PostgresTypeOID(701)
    /// `unknown` (OID 705).
    public static let unknown = PostgresTypeOID(705)
    /// `text[]` (OID 1009).
    public static let textArray = PostgresTypeOID(1009)
    /// `bigint[]` (OID 1016).
    public static let int8Array = PostgresTypeOID(1016)
    /// `char(n)` (OID 1042).
    public static let bpchar = PostgresTypeOID(1042)
    /// `varchar` (OID 1043).
    public static let varchar = PostgresTypeOID(1043)
    /// `timestamp` (OID 1114).
    public static let timestamp = PostgresTypeOID(1114)
    /// `timestamptz` (OID 1184).
    public static let timestamptz = PostgresTypeOID(1184)
    /// `uuid` (OID 2950).
    public static let uuid = PostgresTypeOID(2950)
    /// `uuid[]` (OID 2951).
    public static let uuidArray = PostgresTypeOID(2951)
    /// `jsonb` (OID 3802).
    public static let jsonb = PostgresTypeOID(3802)

    /// Types whose binary form is their UTF-8 text.
    static let textLike: Set<PostgresTypeOID> = [.text, .varchar, .bpchar, .name, .json, .unknown]
}
