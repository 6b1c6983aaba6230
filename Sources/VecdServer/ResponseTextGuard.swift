import HTTPTypes

/// The last check on an error's message before it reaches a client: text that belongs to the server's inside — a
/// Swift or Foundation type name, a raw SQLite or SwiftNIO message, a source file, a path on the server's disk — is
/// replaced by a sentence that names the request id, and the original goes to the log.
///
/// The messages vecd writes itself never hold such text; this guard keeps a message passed up from a library
/// (an embedder's transport error, a file-system failure) from leaking what a client has no use for and an attacker
/// would.
struct ResponseTextGuard: Sendable {
    /// Absolute paths whose text never goes out: the data directory and the temporary directory.
    let hiddenPaths: [String]

    init(hiddenPaths: [String] = []) {
        self.hiddenPaths = hiddenPaths.filter { $0.count > 1 }.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// Marks of text that comes from the server's inside rather than from vecd's own messages.
    static let internalMarkers = [
        "Swift.", "Foundation.", "DecodingError", "EncodingError", "CodingKeys", "Error Domain=", "NSCocoaError",
        "constraint failed", "SQLITE_", "sqlite3_", "SQLiteError", "NIOCore", "NIOPosix", "NIOHTTP1", "IOError",
        "(descriptor:", "errno", ".swift:", "/tmp/", "/var/tmp/", "/proc/self",
    ]

    /// Whether `message` holds text of the server's inside.
    func leaksInternals(_ message: String) -> Bool {
        Self.internalMarkers.contains { message.contains($0) } || hiddenPaths.contains { message.contains($0) }
    }

    /// `error` itself when its message is clean; otherwise the same status and code with a message that says what
    /// kind of problem it was and where the detail is logged.
    func checked(_ error: APIError, requestID: String) -> APIError {
        guard leaksInternals(error.message) else { return error }
        let message =
            error.status.code >= 500
            ? ErrorMiddleware<ServerContext>.internalFailure(requestID: requestID).message
            : "the request was refused (\(error.code)); the server log has the details under request id \(requestID)"
        return APIError(error.status, error.code, message)
    }
}
