import CLibPQ

/// `COPY … FROM STDIN`: the fastest way to load rows. The rows are streamed to the server in chunks; when the body
/// throws, the COPY is cancelled and the server rolls it back, so a failed load leaves nothing behind.
extension PostgresConnection {
    /// Runs `sql` — a `COPY table (columns) FROM STDIN (FORMAT binary)` — and streams the rows `body` writes.
    /// - Returns: the number of rows the server stored.
    @discardableResult
    public func copyBinary(_ sql: String, _ body: (PostgresBinaryCopyWriter) throws -> Void) throws -> Int {
        let stream = try startCopy(sql)
        let writer = PostgresBinaryCopyWriter(stream: stream)
        return try finishCopy(stream) {
            try writer.writeHeader()
            try body(writer)
            try writer.writeTrailer()
        }
    }

    /// Runs `sql` — a `COPY table (columns) FROM STDIN` in the default text format (tab-separated, `\N` for
    /// NULL) — and streams the rows `body` writes; the writer escapes tabs, newlines and backslashes.
    /// - Returns: the number of rows the server stored.
    @discardableResult
    public func copyText(_ sql: String, _ body: (PostgresTextCopyWriter) throws -> Void) throws -> Int {
        let stream = try startCopy(sql)
        let writer = PostgresTextCopyWriter(stream: stream)
        return try finishCopy(stream) { try body(writer) }
    }

    private func startCopy(_ sql: String) throws -> CopyStream {
        let connection = try openHandle(sql)
        guard let result = PQexec(connection, sql) else { throw failure(nil, sql: sql) }
        guard PQresultStatus(result) == PGRES_COPY_IN else {
            // Not a COPY FROM STDIN: report the server's error, or the misuse (checked() raises usage for COPY TO).
            _ = try checked(result, sql: sql)
            throw PostgresError(code: .usage, message: "the statement is not a COPY … FROM STDIN", sql: sql)
        }
        PQclear(result)
        return CopyStream(connection: connection, sql: sql, owner: self)
    }

    private func finishCopy(_ stream: CopyStream, _ body: () throws -> Void) throws -> Int {
        do {
            try body()
            try stream.flush()
        } catch {
            // Cancel the COPY so the server rolls it back, then drain its (expected) error result.
            _ = PQputCopyEnd(stream.connection, "the client stopped the COPY: \(error)")
            while let result = PQgetResult(stream.connection) { PQclear(result) }
            throw error
        }
        guard PQputCopyEnd(stream.connection, nil) == 1 else { throw failure(nil, sql: stream.sql) }
        var stored = 0
        var firstError: PostgresError?
        while let result = PQgetResult(stream.connection) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                stored = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if firstError == nil {
                firstError = failure(result, sql: stream.sql)
            }
            PQclear(result)
        }
        if let firstError { throw firstError }
        if !isConnected { throw failure(nil, sql: stream.sql) }
        return stored
    }
}

/// The bytes of one COPY in flight, sent to the server whenever a chunk is full.
final class CopyStream {
    /// 1 MiB chunks: large enough that per-call overhead vanishes, small enough to stream a big load.
    static let chunkByteCount = 1 << 20

    let connection: OpaquePointer
    let sql: String
    /// Keeps the connection object (and its handle) alive while writers hold this stream.
    private let owner: PostgresConnection
    var buffer: [UInt8] = []

    init(connection: OpaquePointer, sql: String, owner: PostgresConnection) {
        self.connection = connection
        self.sql = sql
        self.owner = owner
        buffer.reserveCapacity(Self.chunkByteCount + 64 * 1024)
    }

    func flushIfFull() throws {
        if buffer.count >= Self.chunkByteCount { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) }
        }
        guard sent == 1 else { throw owner.failure(nil, sql: sql) }
        buffer.removeAll(keepingCapacity: true)
    }
}
