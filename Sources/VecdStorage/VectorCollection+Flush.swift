import Synchronization
import VecdIndex

/// Flushing: the mutable part becomes a segment file, and the manifest commit that makes it (and the deletion
/// bitmaps) durable.
extension VectorCollection {
    /// Writes the mutable part as a new segment, writes the bitmaps of segments that lost rows, commits a manifest
    /// covering every applied WAL record, and drops the WAL files it covers. Does nothing when nothing changed.
    public func flush() throws(StorageError) {
        writer.lock()
        defer { writer.unlock() }
        try checkWritable()
        try flushLocked()
    }

    func checkWritable() throws(StorageError) {
        guard wal != nil else {
            throw StorageError(code: .readOnly, path: directory.path, detail: "the collection was opened read-only")
        }
        guard !isClosed else {
            throw StorageError(code: .invalidArgument, path: directory.path, detail: "the collection is closed")
        }
    }

    /// The flush, under the writer lock. Searches keep using the old mutable part until the swap at the end.
    func flushLocked() throws(StorageError) {
        let (segments, mutable) = state.withLock { ($0.segments, $0.mutable) }
        let entry = manifest.collections.first { $0.id == collectionID }
        let covered = entry?.coveredSequence ?? .zero
        guard
            mutable.index.count > 0 || segments.contains(where: \.isDirty) || covered < appliedSequence
                || entry?.externalSequence != appliedExternalSequence
        else {
            return
        }
        var added: CollectionSegment?
        if mutable.index.count > 0 {
            let segment = try writeSegment(from: mutable.index, ids: mutable.ids, segmentID: allocateSegmentID())
            // Rows replaced or deleted while in memory are written, and deleted in the new segment's bitmap.
            let words = mutable.index.tombstoneWords
            for (word, bits) in words.enumerated() where bits != 0 {
                for bit in 0..<64 where bits & (1 << UInt64(bit)) != 0 { segment.tombstone(word * 64 + bit) }
            }
            added = segment
        }
        let next = segments + (added.map { [$0] } ?? [])
        try commit(segments: next, coveredSequence: appliedSequence, externalSequence: appliedExternalSequence)
        let fresh = try Self.newMutablePart(configuration)
        state.withLock { state in
            state.segments = next
            state.mutable = fresh
            guard let added else { return }
            for (row, id) in added.ids.enumerated() where !added.deletions.contains(row) {
                state.locations[id] = Location(segmentID: added.segmentID, slot: Slot(row))
            }
        }
        // Start a new WAL file so that every file now covered can go: the next open then reads (and checksums) only
        // the records written after this flush, not up to 64 MiB of covered ones.
        try wal?.rotate()
        try wal?.removeFiles(coveredThrough: manifest.coveredSequence)
    }

    /// Writes `index` (whose slot `s` holds id `ids[s]`) as a new segment file and maps it.
    /// `segmentID` comes from ``allocateSegmentID()``; the write itself needs no lock.
    func writeSegment(from index: HNSWIndex, ids: [UInt64], segmentID: UInt64) throws(StorageError)
        -> CollectionSegment
    {
        let fileName = Self.filePrefix(collectionID) + String(segmentID, radix: 16).leftPadded(to: 16) + ".vseg"
        let rowCount = try index.withImage { (image) throws(StorageError) -> Int in
            let contents = SegmentContents(
                segmentID: segmentID, image: image, ids: .numbers(Array(ids.prefix(image.rowCount))))
            try SegmentWriter.write(contents, to: directory.file(fileName), pageByteCount: configuration.pageByteCount)
            return image.rowCount
        }
        return try CollectionSegment(
            directory: directory,
            entry: Manifest.Segment(segmentID: segmentID, fileName: fileName, rowCount: UInt64(rowCount)),
            checksBlocks: false)
    }

    /// A segment id no file of the directory has used; called under the writer lock.
    func allocateSegmentID() -> UInt64 {
        defer { nextSegmentID += 1 }
        return nextSegmentID
    }

    /// Makes `segments` the collection's live set, atomically: writes a new bitmap file for each segment whose
    /// deletions changed (a new name, so the old manifest stays valid until the rename), then replaces the manifest.
    /// Files no longer named are removed after the commit. Called under the writer lock.
    /// `externalSequence` nil keeps the manifest's (a compaction moves no write into the segments).
    func commit(
        segments: [CollectionSegment], coveredSequence: SequenceNumber, externalSequence: UInt64? = nil
    ) throws(StorageError) {
        var next = manifest
        next.generation += 1
        var bitmapNames: [String?] = []
        for segment in segments {
            guard segment.isDirty else {
                bitmapNames.append(segment.deletionFileName)
                continue
            }
            let name =
                Self.filePrefix(collectionID) + String(segment.segmentID, radix: 16).leftPadded(to: 16)
                + "-" + String(next.generation, radix: 16).leftPadded(to: 16) + ".del"
            try segment.deletions.write(to: directory.file(name))
            bitmapNames.append(name)
        }
        guard let position = next.collections.firstIndex(where: { $0.id == collectionID }) else {
            preconditionFailure("the collection's manifest entry disappeared")
        }
        next.collections[position].coveredSequence = coveredSequence
        if let externalSequence { next.collections[position].externalSequence = externalSequence }
        next.collections[position].segments = zip(segments, bitmapNames).map { segment, name in
            var entry = segment.manifestEntry
            entry.deletionFileName = name
            return entry
        }
        try next.save(directory: directory.path)  // the commit point
        let old = manifest
        manifest = next
        for (segment, name) in zip(segments, bitmapNames) {
            segment.deletionFileName = name
            segment.isDirty = false
        }
        removeFilesNoLongerNamed(previous: old)
    }

    /// Deletes the files `previous` named that the current manifest does not (searches that still map a removed
    /// segment keep reading it: an unlinked file lives until its last mapping goes).
    private func removeFilesNoLongerNamed(previous: Manifest) {
        func names(_ manifest: Manifest) -> Set<String> {
            Set(
                manifest.collections.filter { $0.id == collectionID }.flatMap(\.segments).flatMap {
                    [$0.fileName] + ($0.deletionFileName.map { [$0] } ?? [])
                })
        }
        for name in names(previous).subtracting(names(manifest)) { try? FileSystem.removeFile(directory.file(name)) }
    }
}
