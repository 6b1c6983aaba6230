/// Why a PostgreSQL operation failed: the failure kind, the server's SQLSTATE and message when the server answered,
/// and the SQL that was running.
///
/// Errors the caller caused and can fix (``Code/invalidParameter``, ``Code/decoding``, most ``Code/server`` errors
/// such as a syntax error or a constraint violation) leave the connection usable. ``Code/connectionLost`` and
/// ``Code/connectionFailed`` mean the connection cannot be used again: open a new ``PostgresConnection``.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// The failure kind. A struct rather than an enum so that kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name, e.g. `connection_lost`.
        public let rawValue: String
        public var description: String { rawValue }

        /// The connection could not be opened (bad URL, server down, authentication refused).
        public static let connectionFailed = Code(rawValue: "connection_failed")
        /// The connection broke: the backend was terminated, the server shut down, or the socket closed.
        public static let connectionLost = Code(rawValue: "connection_lost")
        /// The server rejected the statement; ``PostgresError/sqlState`` says why.
        public static let server = Code(rawValue: "server")
        /// A parameter or COPY field cannot be sent (a NUL byte in text, a vector too long for pgvector, …);
        /// nothing was sent to the server.
        public static let invalidParameter = Code(rawValue: "invalid_parameter")
        /// A result value does not have the type or format the caller asked for.
        public static let decoding = Code(rawValue: "decoding")
        /// The API was used out of order (e.g. a COPY row with the wrong number of fields).
        public static let usage = Code(rawValue: "usage")
    }

    /// The failure kind.
    public var code: Code
    /// The five-character SQLSTATE the server sent (`42P01` undefined table, `57P01` admin shutdown, …), if any.
    public var sqlState: String?
    /// The primary message, from the server or from this library.
    public var message: String
    /// The server's DETAIL line, if any.
    public var detail: String?
    /// The server's HINT line, if any.
    public var hint: String?
    /// The statement that failed, if any.
    public var sql: String?

    /// Creates an error; most callers only read errors thrown by ``PostgresConnection``.
    public init(
        code: Code, message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
        sql: String? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.sql = sql
    }

    /// One line (plus DETAIL/HINT) naming the kind, the SQLSTATE, the message and the statement (shortened).
    public var description: String {
        var text = "PostgreSQL \(code)"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        if let detail { text += " (detail: \(detail))" }
        if let hint { text += " (hint: \(hint))" }
        if let sql {
            let oneLine = sql.split(whereSeparator: \.isNewline).joined(separator: " ")
            text += " — in SQL: " + (oneLine.count > 200 ? oneLine.prefix(200) + "…" : oneLine)
        }
        return text
    }
}
