import Synchronization
import VecdKernels

extension HNSWIndex {
    /// A broken structural rule of the graph, found by ``checkInvariants()``.
    public struct InvariantViolation: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Checks the graph's structure: each list within its degree bound, no self-links, no duplicate links, links in
    /// range and present on the linked node's levels, the entry point on the top level, and every node reachable
    /// from the entry point on the ground layer. O(n·m); meant for tests and `vecd verify`.
    ///
    /// Reachability is not required under ``DistanceMetric/dot``: inner product is not a metric, and the neighbour
    /// heuristic can leave a small-norm vector with no incoming link (hnswlib and pgvector behave the same).
    /// Such vectors are still found by filtered exact scans; use cosine for unit-length embeddings.
    public func checkInvariants() throws(InvariantViolation) {
        // A batch linking beside searches would change lists under the check: wait for it.
        try withStillGraph { () throws(InvariantViolation) in try checkInvariantsOfStillGraph() }
    }

    private func checkInvariantsOfStillGraph() throws(InvariantViolation) {
        let top = entry.withLock { $0 }
        guard slotCount > 0 else { return }
        var highest = 0
        for slot in 0..<slotCount { highest = max(highest, Int(level(of: Slot(slot)))) }
        guard top.level == highest, Int(level(of: top.slot)) == highest else {
            throw InvariantViolation(description: "entry point \(top.slot) at level \(top.level), top level is \(highest)")
        }
        for slot in 0..<slotCount {
            let node = Slot(slot)
            for layer in 0...Int(level(of: node)) {
                let record = linkRecord(node, level: layer)
                let count = Int(record[0])
                guard count <= maxDegree(level: layer) else {
                    throw InvariantViolation(description: "slot \(slot) level \(layer) has \(count) links")
                }
                var seen = Set<Slot>()
                for i in 0..<count {
                    let target = record[1 + i]
                    guard target != node else { throw InvariantViolation(description: "slot \(slot) links to itself") }
                    guard Int(target) < slotCount, Int(level(of: target)) >= layer else {
                        throw InvariantViolation(description: "slot \(slot) level \(layer) links to invalid \(target)")
                    }
                    guard seen.insert(target).inserted else {
                        throw InvariantViolation(description: "slot \(slot) links twice to \(target)")
                    }
                }
            }
        }
        var reached = [Bool](repeating: false, count: slotCount)
        var stack: [Slot] = [top.slot]
        reached[Int(top.slot)] = true
        var reachedCount = 1
        while let node = stack.popLast() {
            let record = linkRecord(node, level: 0)
            for i in 0..<Int(record[0]) where !reached[Int(record[1 + i])] {
                reached[Int(record[1 + i])] = true
                reachedCount += 1
                stack.append(record[1 + i])
            }
        }
        guard reachedCount == slotCount || parameters.metric == .dot else {
            throw InvariantViolation(description: "\(slotCount - reachedCount) of \(slotCount) nodes unreachable on the ground layer")
        }
    }
}
