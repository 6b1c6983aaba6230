import Synchronization
import VecdIndex

/// What a compaction did.
public struct CompactionReport: Sendable, Equatable {
    /// Segments merged.
    public var mergedSegmentCount: Int
    /// Live rows copied into the new segment.
    public var keptRowCount: Int
    /// Deleted or replaced rows left behind.
    public var droppedRowCount: Int
    /// Rows deleted while the new segment was being built, re-applied as its tombstones.
    public var deletedDuringCompaction: Int
}

/// Compaction: merge every segment's live rows into one new segment with a freshly built graph, online.
extension VectorCollection {
    /// Merges all segments into one, dropping deleted and replaced rows and rebuilding the graph.
    ///
    /// Online: the writer lock is held only to take a snapshot (the segment list and their deletions) and to swap the
    /// result in; the graph build and the segment file write run without it. Meanwhile searches are answered from the old segments and writes are accepted; deletes of snapshot
    /// rows that happen during the build are re-applied to the new segment before the swap. Rows flushed meanwhile
    /// are in segments the snapshot does not hold, and stay. Returns nil when there is nothing to merge, or when
    /// another compaction is running.
    @discardableResult
    public func compact() throws(StorageError) -> CompactionReport? {
        // 1. Snapshot under the lock.
        writer.lock()
        do { try checkWritable() } catch {
            writer.unlock()
            throw error
        }
        let snapshot = state.withLock { $0.segments }
        let worthIt = snapshot.count > 1 || snapshot.contains { $0.deletions.deletedCount > 0 }
        guard !isCompacting, worthIt else {
            writer.unlock()
            return nil
        }
        isCompacting = true
        let before = snapshot.map(\.deletions)
        let segmentID = allocateSegmentID()
        writer.unlock()
        defer {
            writer.lock()
            isCompacting = false
            writer.unlock()
        }

        // 2. Build off the lock: live rows in segment order, a fresh graph.
        var ids: [UInt64] = []
        var vectors: [Float] = []
        var origins: [(segment: Int, row: Int)] = []
        for (number, segment) in snapshot.enumerated() {
            for row in 0..<segment.rowCount where !before[number].contains(row) {
                ids.append(segment.ids[row])
                try segment.reader.appendVector(row: row, to: &vectors)
                origins.append((number, row))
            }
        }
        let built = try Self.newMutablePart(configuration)
        if !ids.isEmpty {
            do { _ = try built.append(ids: ids, vectors: vectors, threads: configuration.buildThreads) } catch {
                throw StorageError(code: .invalidArgument, path: directory.path, detail: "compaction build: \(error)")
            }
        }

        // 3. Write the segment (still off the lock), then swap it in under the lock.
        let merged = ids.isEmpty ? nil : try writeSegment(from: built.index, ids: ids, segmentID: segmentID)
        writer.lock()
        defer { writer.unlock() }
        guard !isClosed else {
            // Closed meanwhile: the lock is given up, so no manifest may change. The file is an unnamed leftover.
            if let merged { try? FileSystem.removeFile(merged.path) }
            return nil
        }
        var lateDeletes = 0
        if let merged {
            for (newRow, origin) in origins.enumerated() where snapshot[origin.segment].deletions.contains(origin.row) {
                merged.tombstone(newRow)
                lateDeletes += 1
            }
        }
        let mergedIDs = Set(snapshot.map(\.segmentID))
        let current = state.withLock { $0.segments }
        let next = (merged.map { [$0] } ?? []) + current.filter { !mergedIDs.contains($0.segmentID) }
        let covered = manifest.collections.first { $0.id == collectionID }?.coveredSequence ?? .zero
        try commit(segments: next, coveredSequence: covered)
        state.withLock { state in
            state.segments = next
            guard let merged else { return }
            for (row, id) in merged.ids.enumerated() where !merged.deletions.contains(row) {
                state.locations[id] = Location(segmentID: merged.segmentID, slot: Slot(row))
            }
        }
        let total = snapshot.reduce(0) { $0 + $1.rowCount }
        return CompactionReport(
            mergedSegmentCount: snapshot.count, keptRowCount: ids.count, droppedRowCount: total - ids.count,
            deletedDuringCompaction: lateDeletes)
    }
}
