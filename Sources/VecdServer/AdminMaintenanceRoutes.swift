import Foundation
import Hummingbird
import Vecd

/// The store's long maintenance operations over HTTP (admin role): `compact`, `reindex` and `backup`, so a CLI
/// command run beside a live server (see ``ServerAddressFile``) hands its work to the process that owns the store.
///
/// Each runs to completion before answering (they take seconds to minutes on large collections; clients should
/// allow for that), on a detached task so the event loop keeps serving; searches go on meanwhile, as the store
/// documents. A second operation waits for the first (the store's maintenance lock). With `?progress=true` each
/// answers as a stream of progress lines instead (``AdminProgressStream``), which is what the CLI asks for.
struct AdminMaintenanceRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        router.post("v1/admin/compact", use: compact)
        router.post("v1/admin/reindex", use: reindex)
        router.post("v1/admin/backup", use: backup)
    }

    struct CompactionResponse: Encodable {
        struct Collection: Encodable {
            var mergedSegments: Int
            var keptRows: Int
            var droppedRows: Int

            enum CodingKeys: String, CodingKey {
                case mergedSegments = "merged_segments"
                case keptRows = "kept_rows"
                case droppedRows = "dropped_rows"
            }
        }

        var collections: [String: Collection]
        var vacuumed: Bool
        var seconds: Double
    }

    /// `POST /v1/admin/compact[?vacuum=true][&progress=true]`.
    @Sendable func compact(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.admin)
        let vacuum = try QueryParameters(request).bool("vacuum")
        let store = services.store
        let answer: @Sendable (StoreCompactionReport, Double) -> CompactionResponse = { report, seconds in
            CompactionResponse(
                collections: report.collections.mapValues {
                    .init(mergedSegments: $0.mergedSegments, keptRows: $0.keptRows, droppedRows: $0.droppedRows)
                },
                vacuumed: report.vacuumed, seconds: seconds)
        }
        if try AdminProgressStream.isRequested(request) {
            return AdminProgressStream.response(
                logger: context.logger, textGuard: services.textGuard,
                operation: { progress in try store.compact(vacuum: vacuum, progress: progress) },
                answer: answer)
        }
        let (report, seconds) = try await Self.timed { () throws(VecdError) in try store.compact(vacuum: vacuum) }
        return try JSONWire.response(answer(report, seconds))
    }

    struct DoneResponse: Encodable {
        var done: Bool
        var seconds: Double
    }

    /// `POST /v1/admin/reindex[?progress=true]`: every collection's index rebuilt from SQLite.
    @Sendable func reindex(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.admin)
        let store = services.store
        if try AdminProgressStream.isRequested(request) {
            return AdminProgressStream.response(
                logger: context.logger, textGuard: services.textGuard,
                operation: { progress in try store.reindex(progress: progress) },
                answer: { _, seconds in DoneResponse(done: true, seconds: seconds) })
        }
        let (_, seconds) = try await Self.timed { () throws(VecdError) in try store.reindex() }
        return try JSONWire.response(DoneResponse(done: true, seconds: seconds))
    }

    struct BackupRequest: Decodable {
        var destination: String
    }

    struct BackupResponse: Encodable {
        var destination: String
        var seconds: Double
    }

    /// `POST /v1/admin/backup[?progress=true] {"destination": "/abs/path"}`: a consistent copy into a new or empty
    /// directory on the server's host, which the server process must be allowed to write.
    @Sendable func backup(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.admin)
        let body = try await JSONWire.decode(BackupRequest.self, from: request, limit: services.limits.maxBodyBytes)
        guard body.destination.hasPrefix("/") else {
            throw APIError.invalidArgument("destination must be an absolute path on the server")
        }
        // Before the string becomes a URL, which would percent-encode a NUL into a different, valid name.
        try BackupDestination.check(body.destination, dataDirectory: services.store.directory)
        let destination = URL(fileURLWithPath: body.destination).standardizedFileURL
        let store = services.store
        if try AdminProgressStream.isRequested(request) {
            return AdminProgressStream.response(
                logger: context.logger, textGuard: services.textGuard,
                operation: { progress in try store.backup(to: destination, progress: progress) },
                answer: { _, seconds in BackupResponse(destination: destination.path, seconds: seconds) })
        }
        let (_, seconds) = try await Self.timed { () throws(VecdError) in try store.backup(to: destination) }
        return try JSONWire.response(BackupResponse(destination: destination.path, seconds: seconds), status: .created)
    }

    /// Runs a blocking store operation off the event loop and measures it.
    static func timed<T: Sendable>(
        _ operation: @escaping @Sendable () throws(VecdError) -> T
    ) async throws -> (T, Double) {
        try await Task.detached {
            let start = ContinuousClock.now
            let value = try operation()
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return (value, (seconds * 1_000).rounded() / 1_000)
        }.value
    }
}
