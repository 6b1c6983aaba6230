import Foundation
import Hummingbird
import Logging
import NIOCore
import Vecd

/// The `?progress=true` form of the long admin operations: a `200 application/x-ndjson` answer whose lines are
/// written as the work goes, so `vecd compact|reindex|backup` run against a server print the same progress lines as
/// when they open the store themselves, and a connection that carries minutes of work is never silent for long.
///
/// Lines: `{"progress":{"collection","step","completed","total","number"}}` for each step, then exactly one of
/// `{"result":{…}}` (the body the plain form answers) or `{"error":{"code","message"}}`. The status line is sent
/// before the work starts, so a failure is told by the last line, not by the status; a stream that ends without
/// either line was cut off (the server stopped) and means the operation's outcome is unknown.
enum AdminProgressStream {
    struct ProgressLine: Encodable {
        struct Step: Encodable {
            var collection: String?
            var step: String
            var completed: Int
            var total: Int
            /// Which collection of `total` the step is about, from 1 (0 for a store-wide step).
            var number: Int
        }
        var progress: Step
    }

    struct ResultLine<Value: Encodable>: Encodable {
        var result: Value
    }

    /// Whether the request asked for the streamed form.
    static func isRequested(_ request: Request) throws -> Bool {
        try QueryParameters(request).bool("progress")
    }

    /// Runs `operation` on a detached task, streaming its progress and then its answer (built by `answer`) or its
    /// error as NDJSON lines. `logger` is the request's, so a failure is logged under the request id it answers.
    static func response<T: Sendable, Answer: Encodable & Sendable>(
        logger: Logger, textGuard: ResponseTextGuard,
        operation: @escaping @Sendable (_ progress: @escaping @Sendable (MaintenanceProgress) -> Void) throws -> T,
        answer: @escaping @Sendable (T, _ seconds: Double) -> Answer
    ) -> Response {
        let (lines, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        let task = Task.detached {
            let start = ContinuousClock.now
            do {
                let value = try operation { step in
                    let line = ProgressLine(
                        progress: .init(
                            collection: step.collection, step: step.step, completed: step.completed, total: step.total,
                            number: step.number))
                    if let bytes = try? encodeLine(line) { continuation.yield(bytes) }
                }
                let answerLine = ResultLine(result: answer(value, roundedSeconds(since: start)))
                continuation.yield(try encodeLine(answerLine))
            } catch {
                // The request's logger carries its id, which the answer names for a failure of the system.
                let requestID = logger[metadataKey: "hb.request.id"]?.description ?? "-"
                let described = ErrorMiddleware<ServerContext>.describe(error, requestID: requestID)
                let apiError = textGuard.checked(described, requestID: requestID)
                if apiError.status.code >= 500 || apiError.message != described.message {
                    logger.error("admin operation failed", metadata: ["error": "\(error)"])
                }
                let errorLine = ErrorBody(error: .init(code: apiError.code, message: apiError.message))
                if let bytes = try? encodeLine(errorLine) { continuation.yield(bytes) }
            }
            continuation.finish()
        }
        // The operation itself runs to its end even when the client goes away: a half-done compaction or backup is
        // cleaned up by the store, but stopping it gains nothing. Only the lines are dropped.
        _ = task
        var headers = HTTPFields()
        headers[.contentType] = "application/x-ndjson"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                for await line in lines { try await writer.write(line) }
                try await writer.finish(nil)
            })
    }

    /// Seconds since `start`, to the millisecond.
    static func roundedSeconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (seconds * 1_000).rounded() / 1_000
    }

    private static func encodeLine(_ value: some Encodable) throws -> ByteBuffer {
        var buffer = try JSONWire.encode(value)
        buffer.writeString("\n")
        return buffer
    }
}
