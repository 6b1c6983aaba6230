import Foundation

/// Typed reads of result values. Each accessor returns nil for SQL NULL, reads both result formats, and throws
/// ``PostgresError`` with code `decoding` (naming row, column, type and value) when the value is not of the asked type.
///
/// | Swift | PostgreSQL | binary form | text form |
/// |---|---|---|---|
/// | `String` | text, varchar, char, name, json, jsonb, and any type in text form | UTF-8 (jsonb: after its version byte) | as sent |
/// | `Int64` / `Int` | smallint, integer, bigint, oid | big-endian integer | decimal |
/// | `Double` | real, double precision (and any number in text form) | IEEE 754 | shortest exact decimal |
/// | `Bool` | boolean | 1 byte | `t` / `f` |
/// | `UUID` | uuid | 16 bytes | canonical |
/// | `Date` | timestamptz, timestamp (read as UTC) | µs since 2000-01-01 | ISO (the session runs in UTC) |
/// | `[Float]` | pgvector vector | dim, unused, big-endian float4s | `[1,2.5,3]` |
/// | `[UInt8]` | bytea | raw | `\x` hex |
extension PostgresResult {
    /// The value as a string: the text form of any type, or the binary form of a string type.
    public func string(row: Int, column: Int) throws -> String? {
        try decode(row, column, "a string") { raw, binary, type in
            if !binary { return String(decoding: raw, as: UTF8.self) }
            if PostgresTypeOID.textLike.contains(type) { return String(decoding: raw, as: UTF8.self) }
            if type == .jsonb, raw.first == 1 {
                return String(decoding: UnsafeRawBufferPointer(rebasing: raw.dropFirst()), as: UTF8.self)
            }
            return nil
        }
    }

    /// A `json` or `jsonb` value as JSON text.
    public func json(row: Int, column: Int) throws -> String? {
        let type = columnType(column)
        guard type == .json || type == .jsonb || columnFormat(column) == .text else {
            throw decodingError(row, column, "JSON", detail: "the column is \(type), not json or jsonb")
        }
        return try string(row: row, column: column)
    }

    /// An integer column (`smallint`, `integer`, `bigint`, `oid`).
    public func int64(row: Int, column: Int) throws -> Int64? {
        try decode(row, column, "an integer") { raw, binary, type in
            guard binary else { return Int64(String(decoding: raw, as: UTF8.self)) }
            switch (type, raw.count) {
            case (.int8, 8): return PostgresBinary.readInteger(Int64.self, raw, at: 0)
            case (.int4, 4): return Int64(PostgresBinary.readInteger(Int32.self, raw, at: 0))
            case (.int2, 2): return Int64(PostgresBinary.readInteger(Int16.self, raw, at: 0))
            case (.oid, 4): return Int64(PostgresBinary.readInteger(UInt32.self, raw, at: 0))
            default: return nil
            }
        }
    }

    /// An integer column as `Int`.
    public func int(row: Int, column: Int) throws -> Int? {
        try int64(row: row, column: column).map { Int($0) }
    }

    /// A `real` or `double precision` value (in text form, any number).
    public func double(row: Int, column: Int) throws -> Double? {
        try decode(row, column, "a floating-point number") { raw, binary, type in
            guard binary else { return Double(String(decoding: raw, as: UTF8.self)) }
            switch (type, raw.count) {
            case (.float8, 8): return Double(bitPattern: PostgresBinary.readInteger(UInt64.self, raw, at: 0))
            case (.float4, 4): return Double(Float(bitPattern: PostgresBinary.readInteger(UInt32.self, raw, at: 0)))
            default: return nil
            }
        }
    }

    /// A `boolean`.
    public func bool(row: Int, column: Int) throws -> Bool? {
        try decode(row, column, "a boolean") { raw, binary, type in
            if binary { return type == .bool && raw.count == 1 ? raw[0] != 0 : nil }
            switch String(decoding: raw, as: UTF8.self) {
            case "t": return true
            case "f": return false
            default: return nil
            }
        }
    }

    /// A `uuid`.
    public func uuid(row: Int, column: Int) throws -> UUID? {
        try decode(row, column, "a UUID") { raw, binary, type in
            binary
                ? (type == .uuid ? PostgresBinary.decodeUUID(raw) : nil)
                : UUID(uuidString: String(decoding: raw, as: UTF8.self))
        }
    }

    /// A `timestamptz` (or `timestamp`, taken as UTC) to the microsecond; `infinity`/`-infinity` are
    /// `Date.distantFuture`/`Date.distantPast`.
    public func date(row: Int, column: Int) throws -> Date? {
        try decode(row, column, "a timestamp") { raw, binary, type in
            guard binary else { return PostgresTimestampText.parse(String(decoding: raw, as: UTF8.self)) }
            guard type == .timestamptz || type == .timestamp, raw.count == 8 else { return nil }
            return PostgresBinary.date(microseconds: PostgresBinary.readInteger(Int64.self, raw, at: 0))
        }
    }

    /// A pgvector `vector`, bit-exact in binary form (and in text form, which pgvector prints shortest-exact).
    public func vector(row: Int, column: Int) throws -> [Float]? {
        try decode(row, column, "a pgvector vector") { raw, binary, _ in
            binary ? PostgresBinary.decodeVector(raw) : Self.parseVectorText(String(decoding: raw, as: UTF8.self))
        }
    }

    /// A `bytea`.
    public func bytea(row: Int, column: Int) throws -> [UInt8]? {
        try decode(row, column, "bytea") { raw, binary, type in
            if binary { return type == .bytea ? Array(raw) : nil }
            return Self.parseHexBytea(String(decoding: raw, as: UTF8.self))
        }
    }

    // MARK: - Helpers

    /// Runs `parse` on a non-NULL value; a nil from `parse` becomes a decoding error that shows the value.
    private func decode<T>(
        _ row: Int, _ column: Int, _ expected: String,
        _ parse: (UnsafeRawBufferPointer, _ binary: Bool, _ type: PostgresTypeOID) -> T?
    ) throws -> T? {
        let binary = columnFormat(column) == .binary
        let type = columnType(column)
        return try withValueBytes(row: row, column: column) { raw -> T? in
            guard let raw else { return nil }
            if let value = parse(raw, binary, type) { return value }
            let shown =
                binary ? "\(raw.count) bytes in binary form" : "'\(String(decoding: raw.prefix(80), as: UTF8.self))'"
            throw decodingError(row, column, expected, detail: "the value is \(shown) of type \(type)")
        }
    }

    private func decodingError(_ row: Int, _ column: Int, _ expected: String, detail: String) -> PostgresError {
        PostgresError(
            code: .decoding,
            message: "row \(row), column \(column) (\"\(columnName(column))\"): expected \(expected); \(detail)",
            sql: sql)
    }

    static func parseVectorText(_ text: String) -> [Float]? {
        guard text.hasPrefix("["), text.hasSuffix("]") else { return nil }
        let body = text.dropFirst().dropLast()
        if body.isEmpty { return [] }
        var values: [Float] = []
        for part in body.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Float(part.trimmingCharacters(in: .whitespaces)) else { return nil }
            values.append(value)
        }
        return values
    }

    static func parseHexBytea(_ text: String) -> [UInt8]? {
        guard text.hasPrefix("\\x") else { return nil }
        let digits = Array(text.utf8.dropFirst(2))
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
