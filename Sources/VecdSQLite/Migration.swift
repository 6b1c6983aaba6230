/// One forward-only schema step, as written in `migrations/NNNN_name.sql`.
///
/// A landed migration never changes: the migrator records a checksum of its text and refuses to open a database
/// whose applied migrations differ from the binary's.
public struct Migration: Sendable, Equatable {
    /// The `NNNN` of the file name; versions run 1, 2, 3, … without gaps.
    public var version: Int
    /// The `name` part of the file name.
    public var name: String
    /// The SQL, run as one transaction.
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// FNV-1a (64-bit) of the SQL's UTF-8 bytes, as 16 hex digits: enough to notice an edited migration.
    public var checksum: String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The file name this migration comes from, `NNNN_name.sql`.
    public var fileName: String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + name + ".sql"
    }

    /// Parses a file name of the form `NNNN_name.sql`; nil for anything else.
    public static func parseFileName(_ fileName: String) -> (version: Int, name: String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let name = stem[stem.index(after: underscore)...]
        guard digits.count == 4, let version = Int(digits), version > 0, !name.isEmpty else { return nil }
        return (version, String(name))
    }
}
