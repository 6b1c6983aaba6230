public import Foundation

/// `DIR/vecd.server.json`: where a running `vecd serve` over data directory `DIR` can be reached, so maintenance
/// commands run beside it (verify, compact, backup) hand their work to the server instead of opening the store a
/// second time.
///
/// The server writes it (atomically: temporary file, then rename) once its socket accepts connections, and removes
/// it on a clean exit. A file left behind by a killed server names a process that no longer exists; ``read(in:)``
/// treats that as no server. The file never holds an API key. Fields: `url` (reachable from this host: a wildcard
/// bind address is written as loopback), `pid`, `started_at` (ISO 8601 UTC), `auth` (whether requests need a key),
/// `format` (1).
public struct ServerAddressFile: Sendable, Codable, Equatable {
    /// The file's name inside the data directory.
    public static let fileName = "vecd.server.json"
    public static let currentFormat = 1

    public var format: Int
    public var url: String
    public var pid: Int32
    public var startedAt: String
    public var auth: Bool

    enum CodingKeys: String, CodingKey {
        case format, url, pid, auth
        case startedAt = "started_at"
    }

    /// The record of this process serving on `host:port`.
    public init(host: String, port: Int, auth: Bool, pid: Int32 = ProcessInfo.processInfo.processIdentifier) {
        let reachableHost =
            switch host {
            case "0.0.0.0", "": "127.0.0.1"
            case "::", "[::]": "[::1]"
            default: host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            }
        format = Self.currentFormat
        url = "http://\(reachableHost):\(port)"
        self.pid = pid
        startedAt = WireDate.format(Date())
        self.auth = auth
    }

    public static func location(in directory: URL) -> URL { directory.appendingPathComponent(fileName) }

    /// Writes the file into `directory`, replacing any earlier one.
    public func write(in directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: Self.location(in: directory), options: .atomic)
    }

    /// Removes the file if it is still this process's (a newer server may have replaced it).
    public static func remove(in directory: URL, pid: Int32 = ProcessInfo.processInfo.processIdentifier) {
        let location = location(in: directory)
        guard let data = try? Data(contentsOf: location),
            let record = try? JSONDecoder().decode(ServerAddressFile.self, from: data), record.pid == pid
        else { return }
        try? FileManager.default.removeItem(at: location)
    }

    /// The running server over `directory`, or nil when there is no file or its process is gone.
    public static func read(in directory: URL) -> ServerAddressFile? {
        guard let record = recorded(in: directory), record.processExists else { return nil }
        return record
    }

    /// The file's record whether or not its process still runs, or nil when there is no readable file.
    public static func recorded(in directory: URL) -> ServerAddressFile? {
        guard let data = try? Data(contentsOf: location(in: directory)) else { return nil }
        return try? JSONDecoder().decode(ServerAddressFile.self, from: data)
    }

    /// Whether a process with the recorded pid exists. A file left by a killed server names a pid that is gone, or
    /// (rarely, after many processes) one reused by an unrelated process: callers that need the server itself check
    /// that it answers at ``url`` too.
    public var processExists: Bool {
        // Signal 0 checks that the process exists without touching it.
        kill(pid, 0) == 0 || errno == EPERM
    }
}
