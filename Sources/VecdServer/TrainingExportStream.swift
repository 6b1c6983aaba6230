import Foundation
import Logging
import NIOCore
import Vecd

/// Streams a training export as JSONL response chunks, a store page at a time.
///
/// The store's export is synchronous and calls its sink once per page; it runs on its own task and hands each
/// page to the response body through an `AsyncStream`. With `mark_exported`, a page is marked once it was handed
/// over, so a client that drops the connection mid-stream may leave the last buffered pages marked but unread;
/// re-export with `since=` to recover them.
enum TrainingExportStream {
    static func start(
        store: VecdStore, selection: VecdStore.TrainingSelection, tenant: String, markExported: Bool, logger: Logger
    ) -> AsyncStream<ByteBuffer> {
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        let task = Task.detached {
            do {
                try store.exportTrainingData(selection, tenant: tenant, markExported: markExported) { page in
                    if Task.isCancelled { throw CancellationError() }
                    continuation.yield(ByteBuffer(bytes: page))
                }
            } catch {
                // The status line is already sent; the truncated stream is the signal. Log it for the operator.
                logger.error("training export stopped", metadata: ["error": "\(error)", "tenant": "\(tenant)"])
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
