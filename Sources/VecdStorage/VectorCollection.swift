import Synchronization
public import VecdIndex

/// One named collection of vectors in a data directory, durable and searchable: a write-ahead log, a mutable
/// in-memory index, and immutable memory-mapped segment files.
///
/// - Writes (``write(_:)``, ``upsert(id:vector:)``, ``delete(id:)``) go to the WAL, return once an fsync covers
///   them, and are then applied in memory. Upserting an id that lives in a segment tombstones it there.
/// - Searches (``search(_:k:efSearch:allowedIDs:)``) run every part (each segment, the mutable index) and merge their
///   top-k, skipping tombstones. They hold no collection lock while walking, so they run beside writes, flushes and
///   compactions.
/// - ``flush()`` writes the mutable part as a segment and commits a new manifest; it runs by itself once the mutable
///   part reaches ``CollectionConfiguration/flushRowCount``. ``compact()`` merges the segments into one, online.
///
/// Opening maps the segments (no vector is read) and replays only the WAL records the segments do not cover.
/// One read-write collection per data directory at a time: it holds the directory's ``DirectoryLock`` and WAL.
public final class VectorCollection: @unchecked Sendable {  // mutable fields are guarded as documented on each
    public let directory: DataDirectory
    public let configuration: CollectionConfiguration
    public let access: CollectionAccess
    /// The number WAL records use for this collection.
    public let collectionID: UInt32

    let lock: DirectoryLock?
    let wal: WALWriter?
    /// Serializes writes, flushes and the commit steps of compaction; guards the fields below it.
    let writer = ConditionLock()
    var manifest: Manifest
    var appliedSequence: SequenceNumber
    /// The owner's change number of the last applied write (see ``Manifest/Collection/externalSequence``).
    var appliedExternalSequence: UInt64
    var nextSegmentID: UInt64
    var isCompacting = false
    var isClosed = false
    var automaticFlushFailure: StorageError?
    /// What searches read: replaced or updated in short critical sections under `writer`.
    let state: Mutex<ReadState>

    /// The parts a search walks and where each live id is.
    struct ReadState: Sendable {
        var segments: [CollectionSegment]
        var mutable: MutablePart
        /// Built on first use rather than at open: hashing 100k ids costs ~25 ms that a search does not need.
        private var builtLocations: [UInt64: Location]?

        init(segments: [CollectionSegment], mutable: MutablePart) {
            self.segments = segments
            self.mutable = mutable
        }

        /// Where each live id is. The first access derives it from the segments' ids and tombstones; until then
        /// no write has happened (every write reads it first), so the mutable part is empty.
        var locations: [UInt64: Location] {
            mutating get {
                buildLocationsIfNeeded()
                return builtLocations!
            }
            _modify {
                buildLocationsIfNeeded()
                yield &builtLocations!
            }
        }

        private mutating func buildLocationsIfNeeded() {
            guard builtLocations == nil else { return }
            var map: [UInt64: Location] = [:]
            map.reserveCapacity(segments.reduce(0) { $0 + $1.rowCount })
            for segment in segments {
                let tombstones = segment.index.tombstoneWords
                for (row, id) in segment.ids.enumerated()
                where row >> 6 >= tombstones.count || tombstones[row >> 6] & (1 << UInt64(row & 63)) == 0 {
                    map[id] = Location(segmentID: segment.segmentID, slot: Slot(row))
                }
            }
            builtLocations = map
        }
    }

    /// Where an id's live row is: `segmentID == 0` means the mutable part (segment ids start at 1).
    struct Location: Sendable {
        var segmentID: UInt64
        var slot: Slot
    }

    /// Opens (creating on first read-write open) the collection `configuration.name` in `path`, and recovers it:
    /// manifest, then each live segment mapped with its deletions, then the WAL after the segments' covered sequence.
    ///
    /// Throws ``StorageError/Code/locked`` when another writer holds the directory, ``StorageError/Code/notFound``
    /// for a read-only open of a collection that does not exist, ``StorageError/Code/invalidArgument`` when the
    /// dimension or metric differ from the stored ones, and damage errors that name the damaged file.
    public init(
        path: String, configuration: CollectionConfiguration, access: CollectionAccess = .readWrite
    ) throws(StorageError) {
        let directory = DataDirectory(path: path)
        self.directory = directory
        self.configuration = configuration
        self.access = access
        do { try configuration.parameters.validate() } catch {
            throw StorageError(code: .invalidArgument, path: path, detail: "collection parameters: \(error)")
        }
        if access == .readWrite {
            try FileSystem.createDirectory(path)
            lock = try DirectoryLock(directory: path)
        } else {
            lock = nil
        }
        var manifest = try Manifest.load(directory: path) ?? Manifest()
        let entry = try Self.collectionEntry(in: &manifest, configuration: configuration, access: access, path: path)
        collectionID = entry.id
        self.manifest = manifest
        nextSegmentID = (manifest.collections.flatMap(\.segments).map(\.segmentID).max() ?? 0) + 1
        state = Mutex(ReadState(segments: [], mutable: try Self.newMutablePart(configuration)))
        appliedSequence = entry.coveredSequence
        appliedExternalSequence = entry.externalSequence
        wal =
            access == .readWrite
            ? try WALWriter(
                directory: directory.walDirectory, policy: configuration.syncPolicy,
                after: manifest.coveredSequence)
            : nil
        try recover(entry)
        if access == .readWrite { removeUnnamedFiles() }
    }

    deinit { try? close() }

    /// Syncs and closes the WAL and gives the directory lock up; later writes throw. Unflushed rows stay in the
    /// WAL and come back on the next open.
    public func close() throws(StorageError) {
        writer.lock()
        defer { writer.unlock() }
        guard !isClosed else { return }
        isClosed = true
        try wal?.close()
        lock?.release()
    }

    // MARK: - Writing

    /// Stores `vector` under `id` (replacing what `id` held), returning once the WAL record is on stable storage.
    @discardableResult
    public func upsert(id: UInt64, vector: [Float]) throws(StorageError) -> SequenceNumber {
        try write([.upsert(id: id, vector: vector)])
    }

    /// Removes `id`, returning once the WAL record is on stable storage. Removing an absent id is not an error.
    @discardableResult
    public func delete(id: UInt64) throws(StorageError) -> SequenceNumber {
        try write([.delete(id: id)])
    }

    /// Applies `writes` in order as one WAL append (one fsync), returning the last record's sequence number once
    /// it is durable. Every vector is checked first: a bad one rejects the whole batch and nothing is written.
    /// Flushes when the mutable part reaches ``CollectionConfiguration/flushRowCount``.
    ///
    /// `externalSequence` is the owner's own change number for this batch (vecd's store passes its SQLite change
    /// sequence): the next flush records the largest one applied in the manifest, so that after a crash the owner
    /// knows which of its changes the segments hold (``coveredExternalSequence``). With such a number and the
    /// ``WALSyncPolicy/deferred`` policy, a WAL that cannot grow (``StorageError/Code/noSpace``) does not refuse the
    /// batch: it is applied in memory only, the owner's log being its durable record.
    @discardableResult
    public func write(
        _ writes: [CollectionWrite], externalSequence: UInt64? = nil
    ) throws(StorageError) -> SequenceNumber {
        guard let wal else {
            throw StorageError(code: .readOnly, path: directory.path, detail: "the collection was opened read-only")
        }
        guard !writes.isEmpty else {
            throw StorageError(code: .invalidArgument, path: directory.path, detail: "write needs at least one change")
        }
        var entries: [WALEntry] = []
        entries.reserveCapacity(writes.count)
        for change in writes {
            switch change {
            case .upsert(let id, let vector):
                try checkVector(vector, id: id)
                entries.append(.upsert(collection: collectionID, id: .number(id), vector: vector))
            case .delete(let id):
                entries.append(.delete(collection: collectionID, id: .number(id)))
            }
        }
        writer.lock()
        defer { writer.unlock() }
        guard !isClosed else {
            throw StorageError(code: .invalidArgument, path: directory.path, detail: "the collection is closed")
        }
        let sequences: ClosedRange<SequenceNumber>?
        do {
            sequences = try wal.append(contentsOf: entries)
        } catch where error.code == .noSpace && externalSequence != nil && configuration.syncPolicy == .deferred {
            // The owner's log is the durable record of this batch (it passes its change number and asks for no
            // fsync): a WAL that cannot grow must not keep a committed change out of the index. The batch is applied
            // in memory only; after a restart the owner re-applies its changes after the manifest's watermark.
            sequences = nil
        }
        try applyLocked(writes)
        if let sequences { appliedSequence = sequences.upperBound }
        if let externalSequence { appliedExternalSequence = max(appliedExternalSequence, externalSequence) }
        if state.withLock({ $0.mutable.index.count }) >= configuration.flushRowCount {
            // The write is durable and applied whatever happens here: a failed flush is kept for
            // `lastAutomaticFlushError` and retried on the next write, instead of failing an acknowledged write.
            do {
                try flushLocked()
                automaticFlushFailure = nil
            } catch {
                automaticFlushFailure = error
            }
        }
        return appliedSequence
    }

    private func checkVector(_ vector: [Float], id: UInt64) throws(StorageError) {
        let dimension = configuration.parameters.dimension
        let problem: String? =
            vector.count != dimension
            ? "has \(vector.count) components, the collection holds \(dimension)"
            : vector.firstIndex(where: { !$0.isFinite }).map { "has a non-finite component at index \($0)" }
        if let problem {
            throw StorageError(
                code: .invalidArgument, path: directory.path, detail: "the vector of id \(id) \(problem)")
        }
    }

    /// Records that the owner's changes up to `externalSequence` are applied although they needed no write here
    /// (the owner found them present already); the next flush saves it.
    public func noteExternalSequence(_ externalSequence: UInt64) throws(StorageError) {
        writer.lock()
        defer { writer.unlock() }
        try checkWritable()
        appliedExternalSequence = max(appliedExternalSequence, externalSequence)
    }

    /// The owner's change number the segment files cover, as the manifest holds it: after a crash, the owner's
    /// changes after it may be missing (or, if only in the WAL, present) and are to be re-applied.
    public var coveredExternalSequence: UInt64 {
        writer.lock()
        defer { writer.unlock() }
        return manifest.collections.first { $0.id == collectionID }?.externalSequence ?? 0
    }

    /// The error of the last automatic flush, or nil when it succeeded (or none ran). Writes succeed regardless (the
    /// WAL holds them); a flush that keeps failing (a full disk) only makes the WAL and the next open's replay longer.
    public var lastAutomaticFlushError: StorageError? {
        writer.lock()
        defer { writer.unlock() }
        return automaticFlushFailure
    }

    // MARK: - Reading

    /// The `k` nearest live ids to `query`, nearest first (ties by id), merged across the segments and the mutable
    /// part. `allowedIDs` restricts the answer to those ids (the filter runs inside each walk, not after it).
    public func search(
        _ query: [Float], k: Int, efSearch: Int = SearchParameters.defaultEFSearch, allowedIDs: Set<UInt64>? = nil
    ) throws(StorageError) -> [CollectionHit] {
        try searchReporting(query, k: k, efSearch: efSearch, allowedIDs: allowedIDs).hits
    }

    /// ``search(_:k:efSearch:allowedIDs:)`` with one report for all the parts walked: counts summed, complete and
    /// exhaustive only when every part was, the plan of the largest filtered part.
    public func searchReporting(
        _ query: [Float], k: Int, efSearch: Int = SearchParameters.defaultEFSearch, allowedIDs: Set<UInt64>? = nil
    ) throws(StorageError) -> (hits: [CollectionHit], report: SearchReport) {
        let (segments, mutable, allowed) = state.withLock { state in
            (state.segments, state.mutable, allowedIDs.map { Self.slotsByPart($0, locations: state.locations) })
        }
        let parameters = SearchParameters(k: k, efSearch: efSearch)
        var hits: [CollectionHit] = []
        var report = PartReports(filtered: allowed != nil)
        do {
            for segment in segments {
                let found = try Self.search(segment.index, query, parameters, allowed?[segment.segmentID], allowed)
                report.add(found?.report)
                hits += (found?.neighbors ?? []).map {
                    CollectionHit(id: segment.ids[Int($0.slot)], distance: $0.distance)
                }
            }
            let found = try Self.search(mutable.index, query, parameters, allowed?[0], allowed)
            report.add(found?.report)
            hits += mutable.hits(found?.neighbors ?? [])
        } catch {
            throw StorageError(code: .invalidArgument, path: directory.path, detail: "search: \(error)")
        }
        // A non-finite distance can only come from a damaged row: it never ranks (NaN would also break the sort).
        hits.removeAll { !$0.distance.isFinite }
        hits.sort { ($0.distance, $0.id) < ($1.distance, $1.id) }
        // An upsert racing this search can show an id in two parts for a moment: keep its nearer row.
        var seen = Set<UInt64>()
        var merged: [CollectionHit] = []
        for hit in hits where merged.count < k && seen.insert(hit.id).inserted { merged.append(hit) }
        return (merged, report.merged)
    }

    /// nil when the filter allows no slot of the part (nothing to walk).
    private static func search(
        _ index: HNSWIndex, _ query: [Float], _ parameters: SearchParameters, _ slots: [Slot]?,
        _ allowed: [UInt64: [Slot]]?
    ) throws(IndexError) -> SearchResult? {
        guard allowed != nil else { return try index.search(query, parameters: parameters) }
        guard let slots, !slots.isEmpty else { return nil }
        return try index.search(query, parameters: parameters, filter: AllowedSlots(slots))
    }

    private static func slotsByPart(_ ids: Set<UInt64>, locations: [UInt64: Location]) -> [UInt64: [Slot]] {
        var slots: [UInt64: [Slot]] = [:]
        for id in ids {
            if let location = locations[id] { slots[location.segmentID, default: []].append(location.slot) }
        }
        return slots
    }

    /// A copy of the vector stored under `id` (unit length under cosine), or nil when `id` is absent.
    public func vector(id: UInt64) throws(StorageError) -> [Float]? {
        let found: (Location, [CollectionSegment], MutablePart)? = state.withLock { state in
            state.locations[id].map { ($0, state.segments, state.mutable) }
        }
        guard let (location, segments, mutable) = found else { return nil }
        if location.segmentID == 0 {
            return try? mutable.index.vector(at: location.slot)
        }
        return try segments.first { $0.segmentID == location.segmentID }?.vector(row: Int(location.slot))
    }

    /// Every live id, in no particular order.
    public var ids: [UInt64] { state.withLock { Array($0.locations.keys) } }

    /// Counts of rows per part and the sequence numbers the collection stands at.
    public func stats() -> CollectionStats {
        writer.lock()
        defer { writer.unlock() }
        let covered = manifest.collections.first { $0.id == collectionID }?.coveredSequence ?? .zero
        return state.withLock { state in
            CollectionStats(
                liveCount: state.locations.count, segmentCount: state.segments.count,
                segmentRowCount: state.segments.reduce(0) { $0 + $1.rowCount },
                segmentDeletedCount: state.segments.reduce(0) { $0 + $1.deletions.deletedCount },
                mutableRowCount: state.mutable.index.count, appliedSequence: appliedSequence,
                coveredSequence: covered, manifestGeneration: manifest.generation)
        }
    }

    /// Reads and checks every byte of every segment and bitmap of the collection (see ``SegmentReader/verify()``);
    /// throws the first damage found, naming the file.
    public func verify() throws(StorageError) {
        let segments = state.withLock { $0.segments }
        for segment in segments {
            try segment.reader.verify()
            if let name = segment.deletionFileName { _ = try DeletionBitmap.read(from: directory.file(name)) }
        }
    }

    static func newMutablePart(_ configuration: CollectionConfiguration) throws(StorageError) -> MutablePart {
        do { return try MutablePart(parameters: configuration.parameters) } catch {
            throw StorageError(code: .invalidArgument, path: "", detail: "collection parameters: \(error)")
        }
    }
}
