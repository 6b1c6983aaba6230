import Synchronization
import VecdIndex

/// Opening: finding or creating the manifest entry, replaying the WAL, and applying writes in memory (shared by
/// live writes and replay, so that both produce the same state).
extension VectorCollection {
    /// The manifest entry of the configured collection; a read-write open of a new name adds it and saves the
    /// manifest at once, so that WAL records carrying its number are never orphaned by a crash.
    static func collectionEntry(
        in manifest: inout Manifest, configuration: CollectionConfiguration, access: CollectionAccess, path: String
    ) throws(StorageError) -> Manifest.Collection {
        let p = configuration.parameters
        if let entry = manifest.collections.first(where: { $0.name == configuration.name }) {
            guard entry.dimension == UInt32(p.dimension), entry.metric == p.metric else {
                throw StorageError(
                    code: .invalidArgument, path: Manifest.path(in: path),
                    detail: "collection \"\(configuration.name)\" holds \(entry.dimension)-dimensional \(entry.metric) "
                        + "vectors, the configuration asks for \(p.dimension)-dimensional \(p.metric)")
            }
            return entry
        }
        guard access == .readWrite else {
            throw StorageError(
                code: .notFound, path: Manifest.path(in: path),
                detail: "no collection named \"\(configuration.name)\" (a read-only open does not create one)")
        }
        let entry = Manifest.Collection(
            id: (manifest.collections.map(\.id).max() ?? 0) + 1, name: configuration.name,
            dimension: UInt32(p.dimension), metric: p.metric)
        manifest.collections.append(entry)
        manifest.generation += 1
        try manifest.save(directory: path)
        return entry
    }

    /// Maps the segments `first` names and replays the WAL after them. A read-only open runs beside a writer, whose
    /// flush or compaction may replace the manifest and delete files (WAL, segments) between this open's reads; the
    /// newer manifest then names what replaced them, so the open starts over from it (a few times at most).
    func recover(_ first: Manifest.Collection) throws(StorageError) {
        var entry = first
        var attempt = 1
        while true {
            do {
                var segments: [CollectionSegment] = []
                for segmentEntry in entry.segments {
                    segments.append(try CollectionSegment(directory: directory, entry: segmentEntry))
                }
                let fresh = try Self.newMutablePart(configuration)
                state.withLock { $0 = ReadState(segments: segments, mutable: fresh) }
                appliedSequence = entry.coveredSequence
                appliedExternalSequence = entry.externalSequence
                try replay(after: entry.coveredSequence)
                return
            } catch {
                guard access == .readOnly, attempt < 5, let latest = try? Manifest.load(directory: directory.path),
                    latest.generation != manifest.generation,
                    let next = latest.collections.first(where: { $0.id == collectionID })
                else { throw error }
                manifest = latest
                entry = next
                attempt += 1
            }
        }
    }

    /// Applies this collection's WAL records after `covered`, in batches (one index insert per run of upserts).
    func replay(after covered: SequenceNumber) throws(StorageError) {
        var batch: [CollectionWrite] = []
        var last = covered
        let collection = collectionID
        let summary = try WALReader.replay(directory: directory.walDirectory, from: covered.next) {
            (record) throws(StorageError) in
            switch record.entry {
            case .upsert(collection, .number(let id), let vector): batch.append(.upsert(id: id, vector: vector))
            case .delete(collection, .number(let id)): batch.append(.delete(id: id))
            default: return  // another collection's record, or a kind this layer does not write
            }
            last = record.sequence
            if batch.count >= 4096 {
                try applyLocked(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try applyLocked(batch) }
        appliedSequence = max(last, summary.lastSequence, covered)
    }

    /// Applies `writes` in memory, in order. Called under the writer lock (or during `init`).
    func applyLocked(_ writes: [CollectionWrite]) throws(StorageError) {
        var runIDs: [UInt64] = []
        var runVectors: [Float] = []
        var inRun = Set<UInt64>()
        for change in writes {
            switch change {
            case .upsert(let id, let vector):
                // A repeated id ends the run: its first row must exist before the second replaces it.
                if inRun.contains(id) {
                    try insertLocked(ids: runIDs, vectors: runVectors)
                    runIDs.removeAll(keepingCapacity: true)
                    runVectors.removeAll(keepingCapacity: true)
                    inRun.removeAll(keepingCapacity: true)
                }
                runIDs.append(id)
                runVectors += vector
                inRun.insert(id)
            case .delete(let id):
                try insertLocked(ids: runIDs, vectors: runVectors)
                runIDs.removeAll(keepingCapacity: true)
                runVectors.removeAll(keepingCapacity: true)
                inRun.removeAll(keepingCapacity: true)
                removeLocked(id: id)
            }
        }
        try insertLocked(ids: runIDs, vectors: runVectors)
    }

    /// Tombstones the old rows of `ids` (distinct), then adds the new rows to the mutable part.
    private func insertLocked(ids: [UInt64], vectors: [Float]) throws(StorageError) {
        guard !ids.isEmpty else { return }
        for id in ids { removeLocked(id: id) }
        let mutable = state.withLock { $0.mutable }
        let first: Slot
        do {
            first = try mutable.append(ids: ids, vectors: vectors, threads: configuration.buildThreads)
        } catch {
            // Vectors were checked before the WAL append, so only a replayed record of another dimension gets here.
            throw StorageError(
                code: .corrupt, path: directory.walDirectory, detail: "a WAL upsert the index refuses: \(error)")
        }
        state.withLock { state in
            for (offset, id) in ids.enumerated() {
                state.locations[id] = Location(segmentID: 0, slot: first + Slot(offset))
            }
        }
    }

    /// Tombstones the live row of `id`, wherever it is; does nothing when `id` is absent.
    func removeLocked(id: UInt64) {
        let found: (Location, CollectionSegment?, MutablePart)? = state.withLock { state in
            guard let location = state.locations.removeValue(forKey: id) else { return nil }
            return (location, state.segments.first { $0.segmentID == location.segmentID }, state.mutable)
        }
        guard let (location, segment, mutable) = found else { return }
        if let segment {
            segment.tombstone(Int(location.slot))
        } else {
            do { try mutable.index.delete(location.slot) } catch { preconditionFailure("location map out of step") }
        }
    }

    /// Deletes this collection's segment and bitmap files that the manifest does not name: left by a crash between
    /// writing a file and committing the manifest that would have named it, or by a failed cleanup.
    func removeUnnamedFiles() {
        let named = Set(
            manifest.collections.first { $0.id == collectionID }.map { entry in
                entry.segments.flatMap { [$0.fileName] + ($0.deletionFileName.map { [$0] } ?? []) }
            } ?? [])
        let prefix = Self.filePrefix(collectionID)
        guard let names = try? FileSystem.listDirectory(directory.path) else { return }
        for name in names where name.hasPrefix(prefix) && !named.contains(name) {
            try? FileSystem.removeFile(directory.file(name))
        }
    }

    /// File names of this collection start with `c<collection id>-`.
    static func filePrefix(_ collectionID: UInt32) -> String { "c\(collectionID)-" }
}
