import ArgumentParser
import Foundation
import VecdServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `--api-key` of the maintenance commands that hand their work to a running server.
struct ServerKeyOptions: ParsableArguments {
    @Option(
        name: .customLong("api-key"),
        help: """
            An admin API key, needed only when a server that has keys configured holds --data. Env: VECD_API_KEY \
            (preferred: a flag shows in the process list).
            """)
    var apiKey: String?

    /// The flag, else `VECD_API_KEY`.
    var resolved: String? {
        apiKey ?? ProcessInfo.processInfo.environment["VECD_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// A `vecd serve` holding a data directory, found through its address file (``ServerAddressFile``) and answering at
/// the address it recorded, to which a maintenance command sends its work instead of opening the store itself.
///
/// A file whose process is gone (the server was killed) or whose address does not answer (the pid now belongs to
/// another program, or the server is stuck) is reported on stderr and ignored: the command then opens the store
/// itself, which takes the directory lock and so still refuses, with exit 2, if a live process holds it.
struct ServerHandoff {
    let record: ServerAddressFile
    let apiKey: String?
    /// The command's name, for messages (`vecd compact: …`).
    let command: String

    /// How long one read may wait for the next bytes of a maintenance answer: a collection's rebuild sends no
    /// progress until it is done, and takes minutes at millions of vectors.
    static let operationTimeoutSeconds: TimeInterval = 6 * 3600

    /// The server that holds `data`, or nil when the command should open the store itself.
    static func find(data: String, keys: ServerKeyOptions, command: String) throws -> ServerHandoff? {
        let directory = URL(fileURLWithPath: data)
        guard let record = ServerAddressFile.recorded(in: directory) else { return nil }
        let name = ServerAddressFile.fileName
        guard record.processExists else {
            printError("vecd \(command): ignoring a stale \(name): its server (process \(record.pid)) is gone")
            return nil
        }
        guard answersHealthCheck(record.url) else {
            printError(
                "vecd \(command): \(name) names process \(record.pid), but nothing answers at \(record.url); "
                    + "opening the store directly")
            return nil
        }
        let key = keys.resolved
        if record.auth && key == nil {
            printError(
                "vecd \(command): \(data) is held by the server at \(record.url) (process \(record.pid)), which "
                    + "needs an admin API key: set VECD_API_KEY or pass --api-key")
            throw ExitCode(2)
        }
        printError("vecd \(command): \(data) is held by the server at \(record.url) (process \(record.pid)); "
            + "handing the work to it")
        return ServerHandoff(record: record, apiKey: key, command: command)
    }

    /// Whether `GET /healthz` answers 200 within two seconds.
    static func answersHealthCheck(_ base: String) -> Bool {
        guard let url = URL(string: base + "/healthz") else { return false }
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        return AdminExchange.perform(request).status == 200
    }

    /// Runs a long admin operation with `?progress=true`, printing each progress line as `vecd` prints its own,
    /// and returns its result; a refusal, an error line or a cut-off stream ends the command as the local run would.
    func runOperation<Result: Decodable>(
        _ path: String, query: String = "", body: (any Encodable)? = nil, as type: Result.Type
    ) throws -> Result {
        let separator = query.isEmpty ? "" : "&"
        let request = try makeRequest("POST", path, query: query + separator + "progress=true", body: body)
        let outcome = AdminExchange.perform(request) { line in
            guard let decoded = try? JSONDecoder().decode(AdminStreamLine<Empty>.self, from: Data(line.utf8)),
                let progress = decoded.progress
            else { return }
            printLine(
                progressLine(
                    collection: progress.collection, step: progress.step, number: progress.shownNumber,
                    total: progress.total))
        }
        try checkStatus(outcome)
        for line in outcome.lines.reversed() {
            guard let decoded = try? JSONDecoder().decode(AdminStreamLine<Result>.self, from: Data(line.utf8)) else {
                continue
            }
            if let result = decoded.result { return result }
            if let error = decoded.error { throw failure(error) }
        }
        printError(
            "vecd \(command): the server at \(record.url) stopped answering before the work finished"
                + (outcome.transportError.map { " (\($0.localizedDescription))" } ?? "")
                + "; its outcome is unknown: check its log and run 'vecd verify'")
        throw ExitCode.failure
    }

    /// `GET path`, decoded as `Result`.
    func get<Result: Decodable>(_ path: String, as type: Result.Type) throws -> Result {
        let outcome = AdminExchange.perform(try makeRequest("GET", path))
        try checkStatus(outcome)
        let body = Data(outcome.lines.joined(separator: "\n").utf8)
        do { return try JSONDecoder().decode(Result.self, from: body) } catch {
            printError(
                "vecd \(command): the server at \(record.url) answered \(path) with an unexpected body: \(error)")
            throw ExitCode.failure
        }
    }

    private func makeRequest(_ method: String, _ path: String, query: String = "", body: (any Encodable)? = nil)
        throws -> URLRequest
    {
        guard let url = URL(string: record.url + path + (query.isEmpty ? "" : "?" + query)) else {
            printError("vecd \(command): \(ServerAddressFile.fileName) holds an unusable url: \(record.url)")
            throw ExitCode.failure
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = Self.operationTimeoutSeconds
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = try JSONEncoder().encode(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        return request
    }

    /// Ends the command when the server could not be reached or refused: a refused key exits 2 (as a store that
    /// cannot be opened does), any other failure 1.
    private func checkStatus(_ outcome: AdminExchange.Outcome) throws {
        if outcome.status == 0 {
            let reason = outcome.transportError.map { $0.localizedDescription } ?? "no answer"
            printError("vecd \(command): cannot reach the server at \(record.url): \(reason)")
            throw ExitCode.failure
        }
        guard !(200..<300).contains(outcome.status) else { return }
        let detail = outcome.lines.joined(separator: "\n")
        let error = (try? JSONDecoder().decode(AdminStreamLine<Empty>.self, from: Data(detail.utf8)))?.error
        if outcome.status == 401 || outcome.status == 403 {
            printError(
                "vecd \(command): the server at \(record.url) refused the API key: "
                    + (error?.message ?? "HTTP \(outcome.status)"))
            throw ExitCode(2)
        }
        throw failure(error ?? .init(code: "http_\(outcome.status)", message: detail))
    }

    /// Prints the server's error and returns the exit code to end with.
    private func failure(_ error: AdminErrorDetail) -> ExitCode {
        printError("vecd \(command): \(error.message) (\(error.code), from the server at \(record.url))")
        return ExitCode.failure
    }

    struct Empty: Decodable {}
}

/// One line of a streamed admin answer (`AdminProgressStream` on the server), or a plain error body.
struct AdminStreamLine<Result: Decodable>: Decodable {
    struct Progress: Decodable {
        var collection: String?
        var step: String
        var completed: Int
        var total: Int
        /// Absent from a server older than this client: then the finished count is the best there is.
        var number: Int?

        var shownNumber: Int { number ?? completed }
    }

    var progress: Progress?
    var result: Result?
    var error: AdminErrorDetail?
}

/// The `{"code","message"}` of a server's error answer.
struct AdminErrorDetail: Decodable {
    var code: String
    var message: String
}
