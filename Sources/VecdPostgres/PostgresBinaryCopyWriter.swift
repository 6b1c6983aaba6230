import Foundation

/// Writes rows for `COPY … FROM STDIN (FORMAT binary)`: each row starts with ``beginRow(fieldCount:)`` and then
/// gets exactly that many `append…` calls, in the COPY's column order.
///
/// pgvector's `vector` goes as Int16 dimension, Int16 zero, then big-endian Float32s: no float printing or parsing,
/// and the stored values are bit-identical to the input. Values are checked before they are written (NUL in text,
/// non-finite vector components, wrong field counts); an error cancels the whole COPY.
public final class PostgresBinaryCopyWriter {
    private let stream: CopyStream
    private var fieldsExpected = 0
    private var fieldsWritten = 0
    /// Rows begun so far.
    public private(set) var rowCount = 0

    init(stream: CopyStream) { self.stream = stream }

    /// Starts a row of `fieldCount` fields (the number of columns the COPY names).
    public func beginRow(fieldCount: Int) throws {
        try checkRowComplete()
        guard fieldCount > 0, fieldCount <= Int(Int16.max) else {
            throw usage("a row needs 1…\(Int16.max) fields, got \(fieldCount)")
        }
        try stream.flushIfFull()
        PostgresBinary.append(Int16(fieldCount), to: &stream.buffer)
        fieldsExpected = fieldCount
        fieldsWritten = 0
        rowCount += 1
    }

    /// A SQL NULL field.
    public func appendNull() throws {
        try nextField()
        PostgresBinary.append(Int32(-1), to: &stream.buffer)
    }

    /// A `bigint` field.
    public func appendInt64(_ value: Int64) throws { try appendFixed(value) }
    /// An `integer` field.
    public func appendInt32(_ value: Int32) throws { try appendFixed(value) }
    /// A `double precision` field (bit-exact).
    public func appendDouble(_ value: Double) throws { try appendFixed(value.bitPattern) }
    /// A `real` field (bit-exact).
    public func appendFloat(_ value: Float) throws { try appendFixed(value.bitPattern) }
    /// A `boolean` field.
    public func appendBool(_ value: Bool) throws { try appendField([value ? 1 : 0]) }
    /// A `bytea` field.
    public func appendBytea(_ value: [UInt8]) throws { try appendField(value) }
    /// A `uuid` field.
    public func appendUUID(_ value: UUID) throws { try appendField(PostgresBinary.uuidBytes(value)) }

    /// A `timestamptz` field, to the microsecond.
    public func appendTimestamptz(_ value: Date) throws {
        try appendFixed(PostgresBinary.timestampMicroseconds(value))
    }

    /// A `text`/`varchar` field; NUL is rejected (PostgreSQL text cannot hold it).
    public func appendText(_ value: String) throws {
        let bytes = Array(value.utf8)
        if let problem = PostgresParameter.nulProblem(bytes) { throw invalid(problem) }
        try appendField(bytes)
    }

    /// A `jsonb` field from JSON text (the server validates it).
    public func appendJSONB(_ json: String) throws {
        let bytes = Array(json.utf8)
        if let problem = PostgresParameter.nulProblem(bytes) { throw invalid(problem) }
        try appendField([1] + bytes)  // jsonb binary: version byte 1, then the text
    }

    /// A pgvector `vector` field.
    public func appendVector<C: Collection<Float>>(_ values: C) throws {
        if let problem = PostgresBinary.vectorProblem(values) { throw invalid(problem) }
        try nextField()
        PostgresBinary.append(Int32(4 + values.count * 4), to: &stream.buffer)
        PostgresBinary.appendVector(values, to: &stream.buffer)
    }

    // MARK: - Framing

    func writeHeader() throws {
        // Signature "PGCOPY\n\377\r\n\0", then 32-bit flags (0: no OIDs) and header-extension length (0).
        stream.buffer.append(contentsOf: Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00])
        PostgresBinary.append(Int32(0), to: &stream.buffer)
        PostgresBinary.append(Int32(0), to: &stream.buffer)
    }

    func writeTrailer() throws {
        try checkRowComplete()
        PostgresBinary.append(Int16(-1), to: &stream.buffer)
    }

    private func appendFixed<T: FixedWidthInteger>(_ value: T) throws {
        try nextField()
        PostgresBinary.append(Int32(MemoryLayout<T>.size), to: &stream.buffer)
        PostgresBinary.append(value, to: &stream.buffer)
    }

    private func appendField(_ bytes: [UInt8]) throws {
        try nextField()
        PostgresBinary.append(Int32(bytes.count), to: &stream.buffer)
        stream.buffer.append(contentsOf: bytes)
    }

    private func nextField() throws {
        guard rowCount > 0 else { throw usage("call beginRow(fieldCount:) before appending fields") }
        guard fieldsWritten < fieldsExpected else {
            throw usage("row \(rowCount) was begun with \(fieldsExpected) fields; one more was appended")
        }
        fieldsWritten += 1
    }

    private func checkRowComplete() throws {
        guard fieldsWritten == fieldsExpected else {
            throw usage("row \(rowCount) was begun with \(fieldsExpected) fields but got \(fieldsWritten)")
        }
    }

    private func usage(_ message: String) -> PostgresError {
        PostgresError(code: .usage, message: "binary COPY: " + message, sql: stream.sql)
    }

    private func invalid(_ problem: String) -> PostgresError {
        PostgresError(
            code: .invalidParameter, message: "binary COPY row \(rowCount), field \(fieldsWritten + 1): \(problem)",
            sql: stream.sql)
    }
}
