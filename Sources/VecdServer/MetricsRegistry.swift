import Foundation
import Synchronization

/// The server's own request metrics: counts and latency histograms per method, route and status, plus the number
/// of requests in flight. Written by ``RequestLogMiddleware``, read by `GET /metrics`.
///
/// Routes are the router's path templates (`/v1/memories/{id}`), never the raw path, so ids cannot blow up the
/// number of series. Small and lock-based on purpose: one short critical section per request is far below the cost
/// of the request itself, and it avoids a dependency (swift-prometheus) for a page of text.
final class MetricsRegistry: Sendable {
    /// Upper bounds of the latency buckets, in seconds: 1 ms to 10 s, the range from a cached lookup to a large
    /// ingestion batch. `+Inf` is implied.
    static let latencyBucketBounds: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    struct SeriesKey: Hashable, Sendable, Comparable {
        var method: String
        var route: String
        var status: Int

        static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
            (lhs.route, lhs.method, lhs.status) < (rhs.route, rhs.method, rhs.status)
        }
    }

    /// A latency histogram: per-bucket counts (not cumulative; cumulated when rendered), sum and count.
    struct Histogram: Sendable, Equatable {
        var bucketCounts = [Int](repeating: 0, count: MetricsRegistry.latencyBucketBounds.count)
        var sumSeconds = 0.0
        var count = 0

        mutating func observe(_ seconds: Double) {
            if let bucket = MetricsRegistry.latencyBucketBounds.firstIndex(where: { seconds <= $0 }) {
                bucketCounts[bucket] += 1
            }
            sumSeconds += seconds
            count += 1
        }

        /// Counts of observations at or below each bound, as Prometheus expects.
        var cumulativeCounts: [Int] {
            var running = 0
            return bucketCounts.map { count in
                running += count
                return running
            }
        }
    }

    struct Snapshot: Sendable {
        var requests: [(key: SeriesKey, histogram: Histogram)]
        var inFlight: Int
    }

    private struct State {
        var requests: [SeriesKey: Histogram] = [:]
        var inFlight = 0
    }

    private let state = Mutex(State())
    /// When the server was created; `process_start_time_seconds` and the admin stats' uptime.
    let startedAt = Date()

    init() {}

    func requestStarted() { state.withLock { $0.inFlight += 1 } }

    /// Records one finished request.
    func requestFinished(method: String, route: String, status: Int, seconds: Double) {
        let key = SeriesKey(method: method, route: route, status: status)
        state.withLock { state in
            state.inFlight -= 1
            state.requests[key, default: Histogram()].observe(seconds)
        }
    }

    /// A consistent copy, sorted by route, method and status so the exposition is stable.
    func snapshot() -> Snapshot {
        state.withLock { state in
            Snapshot(
                requests: state.requests.sorted { $0.key < $1.key }.map { (key: $0.key, histogram: $0.value) },
                inFlight: state.inFlight)
        }
    }
}
