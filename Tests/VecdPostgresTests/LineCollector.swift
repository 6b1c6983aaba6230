import Synchronization

/// Collects the progress lines a benchmark prints, from whichever thread prints them.
final class LineCollector: Sendable {
    private let storage = Mutex<[String]>([])

    /// The lines so far, in order.
    var lines: [String] { storage.withLock { $0 } }

    /// A print function that appends to this collector.
    var print: @Sendable (String) -> Void { { [self] line in storage.withLock { $0.append(line) } } }
}
