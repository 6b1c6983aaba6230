/// Writes rows for `COPY … FROM STDIN` in PostgreSQL's default text format: fields separated by tabs, rows by
/// newlines, `\N` for NULL, and backslash escapes for backslash, tab, newline and carriage return, so any text
/// except NUL (which PostgreSQL text cannot hold, and which is rejected) arrives unchanged.
public final class PostgresTextCopyWriter {
    private let stream: CopyStream
    /// Rows written so far.
    public private(set) var rowCount = 0

    init(stream: CopyStream) { self.stream = stream }

    /// Appends one row; nil fields are NULL. Each field is given in the type's text form (`42`, `[1,2,3]`,
    /// `2026-01-02 03:04:05+00`, JSON text, …).
    public func appendRow(_ fields: [String?]) throws {
        rowCount += 1
        for (index, field) in fields.enumerated() {
            if index > 0 { stream.buffer.append(UInt8(ascii: "\t")) }
            guard let field else {
                stream.buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case 0:
                    throw PostgresError(
                        code: .invalidParameter,
                        message: "text COPY row \(rowCount), field \(index + 1): "
                            + (PostgresParameter.nulProblem(Array(field.utf8)) ?? "contains NUL"),
                        sql: stream.sql)
                case UInt8(ascii: "\\"): stream.buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\t"): stream.buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case UInt8(ascii: "\n"): stream.buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): stream.buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                default: stream.buffer.append(byte)
                }
            }
        }
        stream.buffer.append(UInt8(ascii: "\n"))
        try stream.flushIfFull()
    }
}
