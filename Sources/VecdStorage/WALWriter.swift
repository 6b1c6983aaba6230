#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// When the write-ahead log calls fsync. Under ``perWrite`` and ``groupCommit(milliseconds:)``
/// ``WALWriter/append(_:)`` returns only after an fsync that covers the record, so an acknowledged write survives a
/// crash or power loss.
public enum WALSyncPolicy: Equatable, Sendable {
    /// Fsync as soon as a record is written. Writers that arrive while an fsync runs share the next one.
    case perWrite
    /// The first writer to need an fsync waits this many milliseconds so that concurrent writers join in, then one
    /// fsync acknowledges them all: fewer fsyncs under load, at the cost of up to that much latency per write.
    case groupCommit(milliseconds: Int)
    /// No fsync per append: records reach stable storage at the next rotation (every flush), at close, or when the
    /// kernel writes them back. They survive a killed process but not a power loss. Only for an owner that can redo
    /// lost records from its own durable source, as vecd's store does from SQLite (its source of truth).
    case deferred
}

/// Appends records to the write-ahead log of one directory (`formats/wal.md`); safe to call from many threads.
///
/// The caller holds the data directory's ``DirectoryLock``. Opening recovers the log: it checks every file,
/// truncates a torn last record away (never acknowledged, so nothing is lost) and refuses a damaged log.
/// If an fsync fails the writer is poisoned (the kernel may have dropped the unsynced pages, so retrying could
/// acknowledge lost data): every later append throws ``StorageError/Code/poisoned``; reopen to recover.
public final class WALWriter: @unchecked Sendable {  // all mutable state is guarded by `state`
    /// The directory holding the `wal-*.log` files.
    public let directory: String
    public let policy: WALSyncPolicy
    /// A file that reaches this size is closed and the next record starts a new one.
    public let maxFileByteCount: Int

    private let state = ConditionLock()
    private var file: POSIXFile
    private var fileByteCount: Int
    private var files: [(first: SequenceNumber, path: String)]
    private var nextSequence: SequenceNumber
    private var durable: SequenceNumber
    private var syncing = false
    private var failure: StorageError?
    private var closed = false
    private var syncCount = 0

    /// Opens (creating if needed) the log in `directory`. `after` is the last sequence number already safe
    /// elsewhere (the manifest's), so that numbering continues after it even when every WAL file was deleted.
    public init(
        directory: String, policy: WALSyncPolicy = .groupCommit(milliseconds: 2), after: SequenceNumber = .zero,
        maxFileByteCount: Int = 64 << 20
    ) throws(StorageError) {
        self.directory = directory
        self.policy = policy
        self.maxFileByteCount = maxFileByteCount
        try FileSystem.createDirectory(directory)
        let summary = try WALReader.verify(directory: directory)
        if let torn = summary.tornTail {
            let damaged = try POSIXFile.open(torn.path, flags: O_WRONLY)
            defer { damaged.close() }
            try damaged.truncate(to: torn.offset)
            try damaged.sync()
        }
        files = try WALReader.files(in: directory)
        if summary.lastSequence < after {
            // Everything in the log is already covered elsewhere: start afresh after `after`, without a gap.
            for old in files { try FileSystem.removeFile(old.path) }
            files = []
        }
        let last = max(summary.lastSequence, after)
        nextSequence = last.next
        durable = last
        if let current = files.last {
            file = try POSIXFile.open(current.path, flags: O_WRONLY | O_APPEND)
            fileByteCount = try file.size()
        } else {
            (file, fileByteCount) = try Self.createFile(directory: directory, first: nextSequence)
            files.append((nextSequence, file.path))
        }
    }

    deinit { file.close() }

    /// The sequence number the next record will get.
    public var nextSequenceNumber: SequenceNumber { locked { nextSequence } }

    /// Every record up to this one is on stable storage.
    public var durableSequenceNumber: SequenceNumber { locked { durable } }

    /// Number of fsyncs of WAL files so far (group commit makes this smaller than the number of appends).
    public var fsyncCount: Int { locked { syncCount } }

    /// Appends one record and returns its sequence number once an fsync covers it.
    @discardableResult
    public func append(_ entry: WALEntry) throws(StorageError) -> SequenceNumber {
        try append(contentsOf: [entry]).upperBound
    }

    /// Appends records in one write and returns their sequence numbers once one fsync covers them all.
    @discardableResult
    public func append(contentsOf entries: [WALEntry]) throws(StorageError) -> ClosedRange<SequenceNumber> {
        guard !entries.isEmpty else {
            throw StorageError(code: .invalidArgument, path: directory, detail: "append needs at least one record")
        }
        var payloads: [(UInt8, [UInt8])] = []
        for entry in entries {
            let payload: [UInt8]
            do {
                payload = try entry.encodePayload()
            } catch {
                throw StorageError(code: error.code, path: directory, detail: error.detail)
            }
            // A larger record would be written fine but refused as damage on replay: refuse it now instead.
            guard payload.count <= WALFormat.maxPayloadByteCount else {
                throw StorageError(
                    code: .invalidArgument, path: directory,
                    detail:
                        "a WAL record holds at most \(WALFormat.maxPayloadByteCount) payload bytes, got \(payload.count)"
                )
            }
            payloads.append((entry.typeCode, payload))
        }
        state.lock()
        defer { state.unlock() }
        try checkUsable()
        if fileByteCount >= maxFileByteCount { try rotateLocked() }
        let first = nextSequence
        var writer = ByteWriter()
        for (offset, (type, payload)) in payloads.enumerated() {
            let sequence = SequenceNumber(first.rawValue + UInt64(offset))
            WALFormat.encodeRecord(sequence: sequence, type: type, payload: payload, into: &writer)
        }
        do {
            try file.write(writer.bytes, offsetForErrors: fileByteCount)
        } catch {
            // Cut the partial record away so the log stays valid; if even that fails, stop accepting writes.
            do { try file.truncate(to: fileByteCount) } catch { failure = error }
            throw error
        }
        fileByteCount += writer.count
        let last = SequenceNumber(first.rawValue + UInt64(entries.count - 1))
        nextSequence = last.next
        if policy != .deferred { try waitUntilDurable(last) }
        return first...last
    }

    /// Closes the current file (after an fsync) and starts a new one; later appends go there.
    public func rotate() throws(StorageError) {
        state.lock()
        defer { state.unlock() }
        try checkUsable()
        try rotateLocked()
    }

    /// Deletes the WAL files whose every record is at or before `sequence` (flushed into a segment the manifest
    /// names). The file being written is kept.
    public func removeFiles(coveredThrough sequence: SequenceNumber) throws(StorageError) {
        state.lock()
        defer { state.unlock() }
        var removed = false
        while files.count > 1, files[1].first.rawValue - 1 <= sequence.rawValue {
            try FileSystem.removeFile(files[0].path)
            files.removeFirst()
            removed = true
        }
        if removed { try FileSystem.syncDirectory(directory) }
    }

    /// The WAL files, oldest first.
    public var filePaths: [String] { locked { files.map(\.path) } }

    /// Waits for a running fsync, syncs what is written and closes the file; later appends throw.
    public func close() throws(StorageError) {
        state.lock()
        defer { state.unlock() }
        while syncing { state.wait() }
        guard !closed else { return }
        closed = true
        if failure == nil, durable < SequenceNumber(nextSequence.rawValue - 1) {
            try file.sync()
            durable = SequenceNumber(nextSequence.rawValue - 1)
        }
    }

    // MARK: - Under the lock

    private func locked<T>(_ body: () -> T) -> T {
        state.lock()
        defer { state.unlock() }
        return body()
    }

    private func checkUsable() throws(StorageError) {
        if closed { throw StorageError(code: .invalidArgument, path: directory, detail: "the WAL writer is closed") }
        if let failure {
            throw StorageError(
                code: .poisoned, path: failure.path,
                detail: "an earlier WAL write or fsync failed (\(failure)); reopen the store to recover")
        }
    }

    /// Leader/follower group commit: the first waiter runs the fsync (after the group-commit delay) with the lock
    /// released, so later writers keep appending; everyone whose record it covers is then released together.
    private func waitUntilDurable(_ sequence: SequenceNumber) throws(StorageError) {
        while durable < sequence {
            try checkUsable()
            if syncing {
                state.wait()
                continue
            }
            syncing = true
            if case .groupCommit(let milliseconds) = policy, milliseconds > 0 {
                state.unlock()
                usleep(useconds_t(milliseconds * 1000))
                state.lock()
            }
            let target = SequenceNumber(nextSequence.rawValue - 1)
            let current = file
            state.unlock()
            let result = Result { () throws(StorageError) in try current.sync() }
            state.lock()
            syncing = false
            syncCount += 1
            switch result {
            case .success: durable = max(durable, target)
            case .failure(let error): failure = error
            }
            state.broadcast()
        }
    }

    private func rotateLocked() throws(StorageError) {
        while syncing { state.wait() }
        try checkUsable()
        do {
            try file.sync()
        } catch {
            failure = error
            throw error
        }
        syncCount += 1
        durable = SequenceNumber(nextSequence.rawValue - 1)
        state.broadcast()
        let (newFile, size) = try Self.createFile(directory: directory, first: nextSequence)
        file.close()
        file = newFile
        fileByteCount = size
        files.append((nextSequence, newFile.path))
    }

    /// Creates a WAL file holding only its header, atomically: a crash leaves either no file or a whole header.
    private static func createFile(directory: String, first: SequenceNumber) throws(StorageError) -> (POSIXFile, Int) {
        let path = directory + "/" + WALFormat.fileName(firstSequence: first)
        let header = WALFormat.encodeFileHeader(firstSequence: first)
        try FileSystem.atomicReplace(path: path, data: header)
        return (try POSIXFile.open(path, flags: O_WRONLY | O_APPEND), header.count)
    }
}
