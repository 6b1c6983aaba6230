import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One blocking HTTP exchange with a running server's admin API, handing the body over line by line as it arrives,
/// so the progress lines of a long compaction are printed while it runs rather than at its end.
///
/// Maintenance commands are plain synchronous commands; they block on a semaphore while URLSession's delegate
/// queue receives the body.
final class AdminExchange: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// What the exchange ended with.
    struct Outcome {
        /// The HTTP status, or 0 when no response arrived.
        var status: Int
        /// Every line of the body (the last one even without a closing newline).
        var lines: [String]
        /// Why the exchange failed before the body ended (connection refused or cut, timeout), if it did.
        var transportError: (any Error)?
    }

    private struct State {
        var status = 0
        var pending = Data()
        var lines: [String] = []
        var transportError: (any Error)?
    }

    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)
    private let onLine: @Sendable (String) -> Void

    private init(onLine: @escaping @Sendable (String) -> Void) {
        self.onLine = onLine
    }

    /// Sends `request` and waits for the whole answer; `onLine` sees each body line as soon as it is complete.
    static func perform(_ request: URLRequest, onLine: @escaping @Sendable (String) -> Void = { _ in }) -> Outcome {
        let exchange = AdminExchange(onLine: onLine)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1  // delegate calls in order, one at a time
        let session = URLSession(configuration: .ephemeral, delegate: exchange, delegateQueue: queue)
        session.dataTask(with: request).resume()
        exchange.finished.wait()
        session.finishTasksAndInvalidate()
        return exchange.state.withLock {
            Outcome(status: $0.status, lines: $0.lines, transportError: $0.transportError)
        }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        state.withLock { $0.status = (response as? HTTPURLResponse)?.statusCode ?? 0 }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let complete = state.withLock { state -> [String] in
            state.pending.append(data)
            var found: [String] = []
            while let newline = state.pending.firstIndex(of: UInt8(ascii: "\n")) {
                found.append(String(decoding: state.pending[state.pending.startIndex..<newline], as: UTF8.self))
                state.pending = Data(state.pending[(newline + 1)...])
            }
            state.lines += found
            return found
        }
        for line in complete { onLine(line) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let last = state.withLock { state -> String? in
            state.transportError = error
            guard !state.pending.isEmpty else { return nil }
            let line = String(decoding: state.pending, as: UTF8.self)
            state.pending.removeAll()
            state.lines.append(line)
            return line
        }
        if let last { onLine(last) }
        finished.signal()
    }
}
