import CLibPQ
import Foundation

/// One connection to a PostgreSQL server through libpq: plain and parameterized statements, prepared statements,
/// results, and `COPY … FROM STDIN` (see `copyBinary` / `copyText`).
///
/// A connection runs one statement at a time and is not `Sendable`: give each task or thread its own. Every session
/// starts with `client_encoding` UTF8, `TimeZone` UTC and `DateStyle` ISO, so text results decode the same way
/// whatever the server's defaults are.
///
/// When the server goes away (the backend is terminated, the server restarts, the socket closes) the failing call
/// throws ``PostgresError`` with code ``PostgresError/Code-swift.struct/connectionLost``, and so does every later
/// call: open a new connection.
public final class PostgresConnection {
    /// The libpq connection; nil after ``close()``.
    private(set) var handle: OpaquePointer?
    private let notices = NoticeLog()
    private var preparedCount = 0

    /// Opens a connection from a libpq connection string or URL, e.g.
    /// `postgres:///vecd?host=/tmp/vecd-pg-54329/socket&port=54329&user=postgres` or
    /// `postgres://user:password@db.example.com:5432/app`.
    /// - Throws: ``PostgresError`` with code `connectionFailed` and libpq's reason.
    public init(url: String) throws {
        guard let connection = PQconnectdb(url) else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = Self.libpqMessage(connection)
            PQfinish(connection)
            throw PostgresError(code: .connectionFailed, message: reason)
        }
        handle = connection
        // Collect NOTICE/WARNING messages instead of letting libpq print them to stderr.
        PQsetNoticeReceiver(
            connection,
            { context, result in
                guard let context, let result, let message = PQresultErrorMessage(result) else { return }
                Unmanaged<NoticeLog>.fromOpaque(context).takeUnretainedValue().append(String(cString: message))
            }, Unmanaged.passUnretained(notices).toOpaque())
        try exec("SET client_encoding TO 'UTF8'; SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'")
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Closes the connection; later calls throw `connectionLost`. Closing twice is harmless.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Whether the connection is open and healthy as far as libpq knows (it learns of a lost server on the next call).
    public var isConnected: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// The server's version as an integer (180006 for 18.6), or 0 when closed.
    public var serverVersion: Int { handle.map { Int(PQserverVersion($0)) } ?? 0 }

    /// The process id of the server backend serving this connection (what `pg_terminate_backend` takes).
    public var backendProcessID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    /// NOTICE and WARNING messages the server sent since the last call, oldest first (at most the last 100).
    public func drainNotices() -> [String] { notices.drain() }

    /// Runs one or more statements without parameters (`;`-separated), returning the last one's result.
    @discardableResult
    public func exec(_ sql: String) throws -> PostgresResult {
        let connection = try openHandle(sql)
        return try checked(PQexec(connection, sql), sql: sql)
    }

    /// Runs one statement with parameters `$1`, `$2`, … bound from `parameters`.
    /// - Parameter resultFormat: `.binary` returns every column in its binary form (exact floats, no parsing).
    @discardableResult
    public func query(
        _ sql: String, _ parameters: [PostgresParameter] = [], resultFormat: PostgresParameter.Format = .text
    ) throws -> PostgresResult {
        let connection = try openHandle(sql)
        let result = try Self.withEncoded(parameters, sql: sql) { types, values, lengths, formats in
            PQexecParams(
                connection, sql, Int32(parameters.count), types, values, lengths, formats, resultFormat.rawValue)
        }
        return try checked(result, sql: sql)
    }

    /// Prepares a statement once for repeated ``execute(_:_:resultFormat:)`` calls (parsed and planned once).
    /// - Parameter parameterTypes: the types of `$1`, `$2`, …; omitted ones are inferred from the statement.
    ///   Binary parameters must match the type fixed here (a `.int64` for a `$1` inferred as `integer` fails).
    public func prepare(_ sql: String, parameterTypes: [PostgresTypeOID] = []) throws -> PostgresPreparedStatement {
        let connection = try openHandle(sql)
        preparedCount += 1
        let name = "vecd_statement_\(preparedCount)"
        let types = parameterTypes.map { Oid($0.rawValue) }
        _ = try checked(PQprepare(connection, name, sql, Int32(types.count), types), sql: sql)
        return PostgresPreparedStatement(name: name, sql: sql)
    }

    /// Runs a statement made by ``prepare(_:)`` on this connection.
    @discardableResult
    public func execute(
        _ statement: PostgresPreparedStatement, _ parameters: [PostgresParameter] = [],
        resultFormat: PostgresParameter.Format = .text
    ) throws -> PostgresResult {
        let connection = try openHandle(statement.sql)
        let result = try Self.withEncoded(parameters, sql: statement.sql) { _, values, lengths, formats in
            PQexecPrepared(
                connection, statement.name, Int32(parameters.count), values, lengths, formats,
                resultFormat.rawValue)
        }
        return try checked(result, sql: statement.sql)
    }

    /// Runs `body` inside `BEGIN … COMMIT`; when it throws, rolls back (if the connection still works) and rethrows.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try exec("BEGIN")
        do {
            let value = try body()
            try exec("COMMIT")
            return value
        } catch {
            if isConnected { _ = try? exec("ROLLBACK") }
            throw error
        }
    }

    // MARK: - Internals shared with the COPY extension

    /// The live libpq handle, or `connectionLost` when the connection was closed or broke earlier.
    func openHandle(_ sql: String?) throws -> OpaquePointer {
        guard let handle else {
            throw PostgresError(code: .connectionLost, message: "the connection is closed", sql: sql)
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(
                code: .connectionLost,
                message: "the connection to the server was lost earlier (\(Self.libpqMessage(handle))); "
                    + "open a new connection", sql: sql)
        }
        return handle
    }

    /// Wraps a finished statement's result, or throws its error (server error, lost connection).
    func checked(_ result: OpaquePointer?, sql: String) throws -> PostgresResult {
        guard let handle else { throw PostgresError(code: .connectionLost, message: "the connection is closed") }
        guard let result else { throw failure(nil, sql: sql) }
        let status = PQresultStatus(result)
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY {
            return PostgresResult(handle: result, sql: sql)
        }
        if status == PGRES_COPY_IN || status == PGRES_COPY_OUT {
            // A COPY started through exec/query: leave the COPY state so the connection stays usable.
            PQclear(result)
            if status == PGRES_COPY_IN {
                _ = PQputCopyEnd(handle, "COPY FROM STDIN needs copyBinary or copyText")
            } else {
                var buffer: UnsafeMutablePointer<CChar>?
                while PQgetCopyData(handle, &buffer, 0) > 0 { PQfreemem(buffer) }
            }
            while let extra = PQgetResult(handle) { PQclear(extra) }
            throw PostgresError(
                code: .usage, message: "COPY through exec/query is not supported; use copyBinary or copyText",
                sql: sql)
        }
        let error = failure(result, sql: sql)
        PQclear(result)
        throw error
    }

    /// The error for a failed statement: the server's fields when it sent them, `connectionLost` when libpq's
    /// connection is now broken (a terminated backend still sends SQLSTATE 57P01 first, which is kept).
    func failure(_ result: OpaquePointer?, sql: String?) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let result, let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let lost = handle.map { PQstatus($0) != CONNECTION_OK } ?? true
        let serverMessage = field("M")
        let libpq = handle.map(Self.libpqMessage) ?? "the connection is closed"
        if lost {
            return PostgresError(
                code: .connectionLost,
                message: "the connection to the server was lost (\(serverMessage ?? libpq)); open a new connection",
                sqlState: field("C"), sql: sql)
        }
        return PostgresError(
            code: .server, message: serverMessage ?? libpq, sqlState: field("C"), detail: field("D"),
            hint: field("H"), sql: sql)
    }

    static func libpqMessage(_ connection: OpaquePointer) -> String {
        guard let message = PQerrorMessage(connection) else { return "unknown libpq error" }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "unknown libpq error" : text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Lays the parameters out as libpq's parallel arrays (types, value pointers, lengths, formats). Text-form
    /// values get a terminating NUL, which is why a NUL inside text is rejected first.
    static func withEncoded<R>(
        _ parameters: [PostgresParameter], sql: String,
        _ body: (
            UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?
        ) -> R
    ) throws -> R {
        guard parameters.count <= Int(UInt16.max) else {
            throw PostgresError(
                code: .invalidParameter,
                message: "\(parameters.count) parameters; the protocol allows at most \(UInt16.max)", sql: sql)
        }
        var storage: [UInt8] = []
        var offsets: [Int?] = []
        for (index, parameter) in parameters.enumerated() {
            if let problem = parameter.problem {
                throw PostgresError(code: .invalidParameter, message: "parameter $\(index + 1): \(problem)", sql: sql)
            }
            guard let bytes = parameter.bytes else {
                offsets.append(nil)
                continue
            }
            offsets.append(storage.count)
            storage.append(contentsOf: bytes)
            if parameter.format == .text { storage.append(0) }
        }
        storage.append(0)  // never empty, so an empty binary value still gets a valid pointer
        let types = parameters.map { Oid($0.type.rawValue) }
        let lengths = parameters.map { Int32($0.bytes?.count ?? 0) }
        let formats = parameters.map { $0.format.rawValue }
        return storage.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                let values = offsets.map { offset in offset.map { UnsafePointer(characters.baseAddress! + $0) } }
                return body(types, values, lengths, formats)
            }
        }
    }
}

/// A statement prepared on one ``PostgresConnection`` by ``PostgresConnection/prepare(_:)``.
public struct PostgresPreparedStatement: Sendable {
    /// The server-side name.
    public let name: String
    /// The statement text, for error messages.
    public let sql: String
}

/// The notices a connection received, bounded so a chatty server cannot grow it without limit.
private final class NoticeLog {
    private var messages: [String] = []

    func append(_ message: String) {
        if messages.count >= 100 { messages.removeFirst() }
        messages.append(message.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func drain() -> [String] {
        defer { messages.removeAll() }
        return messages
    }
}
