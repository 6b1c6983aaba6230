public import Foundation
import Synchronization
import VecdIndex
import VecdKernels
import VecdSQLite
import VecdStorage
public import VecdEmbed

/// The in-process learning-engine store: documents and chunks with vector, full-text and hybrid search, memories,
/// preferences, conversations, feedback and training data, the response cache and knowledge items, over one SQLite
/// database plus an HNSW index per collection.
///
/// Consistency: SQLite is the source of truth. Each write is one SQLite transaction that also logs its vector
/// changes (`vector_changes`); they enter the indexes only after it commits. Each collection's index lives in
/// memory-mapped segment files under `collections/<id>/` that record the last logged change they hold, so opening
/// re-applies only the changes since the last flush (and rebuilds from SQLite files that are missing or damaged):
/// after a crash no row lacks its vector nor the reverse. A search result whose row was deleted meanwhile is
/// dropped, never returned without its row.
///
/// One process at a time: the store holds the directory's writer lock (`DIR/LOCK`) while open; a second open
/// fails with a `storage` error naming the holder.
///
/// Thread safety: the store is `Sendable`. SQLite work is serialized on one connection; index searches run
/// outside that lock, concurrently.
public final class VecdStore: Sendable {
    /// The directory holding `vecd.sqlite`.
    public let directory: URL
    /// The embedder used where text is given instead of a vector; nil when the store takes raw vectors only.
    public let embedder: (any Embedder)?
    public let configuration: Configuration
    let state: Mutex<StoreState>
    /// The collections by name, for searches that look one up without taking `state`.
    let catalog: CollectionCatalog
    /// Read-only connections for searches, which thereby never wait for `state` (see ``ReadConnectionPool``).
    let readers: ReadConnectionPool
    let removesDirectory: Bool
    private let lock: DirectoryLock
    /// Serializes compaction, reindex and backup, so a backup never copies files a compaction is replacing.
    let maintenanceLock = Mutex(())
    /// The workers of queued ingestion jobs (``submitIngestion(_:into:tenant:chunking:)``, ``resumeIngestion()``).
    let ingestion = IngestionRunner()

    /// The SQLite file inside the directory.
    public static let databaseFileName = "vecd.sqlite"

    /// Opens (creating if needed) the store in `directory`: takes its writer lock, applies pending migrations, and
    /// opens every collection's index files, re-applying the changes they lack (see ``VecdStore``).
    public convenience init(
        directory: URL, embedder: (any Embedder)? = nil, configuration: Configuration = Configuration()
    ) throws(VecdError) {
        try self.init(directory: directory, embedder: embedder, configuration: configuration, removesDirectory: false)
    }

    /// A store in a new temporary directory (`$TMPDIR/vecd-<uuid>`), deleted when the store is released or by
    /// ``removeTemporaryDirectory()``: for tests and `--ephemeral`. The directory is marked as temporary, so that
    /// ``removeAbandonedTemporaryStores(in:)`` can take away one whose process was killed before it could.
    public static func temporary(
        embedder: (any Embedder)? = nil, configuration: Configuration = Configuration()
    ) throws(VecdError) -> VecdStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            temporaryDirectoryPrefix + newID())
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data().write(to: directory.appendingPathComponent(temporaryMarkerName))
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw VecdError(.storage, "cannot create a temporary store directory: \(error)")
        }
        do {
            return try VecdStore(
                directory: directory, embedder: embedder, configuration: configuration,
                removesDirectory: true)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    private init(
        directory: URL, embedder: (any Embedder)?, configuration: Configuration, removesDirectory: Bool
    ) throws(VecdError) {
        self.directory = directory
        self.embedder = embedder
        self.configuration = configuration
        self.removesDirectory = removesDirectory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            lock = try DirectoryLock(directory: directory.path)
            let connection = try Connection(
                path: directory.appendingPathComponent(Self.databaseFileName).path,
                durability: removesDirectory ? .throwaway : .durable)
            try Migrator(migrations: Migration.vecdSchema).migrate(connection)
            let collections = try Self.loadCollections(connection, directory: directory, configuration: configuration)
            let opened = StoreState(
                connection: connection, collections: collections, directory: directory, configuration: configuration)
            catalog = opened.catalog
            state = Mutex(opened)
            // Two per core: a search holds its connection only for its SQL, so more would sit idle.
            readers = ReadConnectionPool(
                path: directory.appendingPathComponent(Self.databaseFileName).path,
                maxIdleCount: 2 * max(1, ProcessInfo.processInfo.activeProcessorCount))
        } catch {
            throw VecdError.wrap(error)
        }
    }

    deinit {
        // Close the indexes (syncing their logs) before the lock goes, so the next open finds them whole. A durable
        // store first writes each index's unflushed rows to a segment: otherwise the next open rebuilds the graph
        // over them (up to `flushRowCount` rows: 6.6 s at 50,000 × 384 before a restarted store's first answer).
        // A failed flush loses nothing — the rows stay in the log and are replayed at open, as after a crash.
        state.withLock { state in
            for collection in state.collections.values {
                if !removesDirectory { try? collection.storage.flush() }
                try? collection.storage.close()
            }
        }
        readers.closeIdle()
        lock.release()
        if removesDirectory { try? FileManager.default.removeItem(at: directory) }
    }

    private static func loadCollections(
        _ connection: Connection, directory: URL, configuration: Configuration
    ) throws -> [String: VectorCollection] {
        let rows = try connection.query(
            "SELECT id, name, dimension, metric, model_id, storage_mode FROM collections ORDER BY id"
        ) { row in
            (
                id: row.int64(0),
                info: CollectionInfo(
                    name: row.string(1), dimension: row.int(2), metric: .init(rawValue: row.string(3)) ?? .cosine,
                    modelID: row.string(4), storage: .init(rawValue: row.string(5)) ?? .float32)
            )
        }
        var collections: [String: VectorCollection] = [:]
        for row in rows {
            collections[row.info.name] = try VectorCollection.open(
                id: row.id, info: row.info, storeDirectory: directory, configuration: configuration,
                connection: connection)
        }
        removeIndexDirectories(except: Set(rows.map(\.id)), storeDirectory: directory)
        return collections
    }

    // MARK: - Database access

    /// Runs `body` with a read-only connection of its own, without taking the store's lock: for the search path,
    /// which must not wait behind write transactions. It sees the last committed transaction.
    func readConcurrently<T>(_ body: (Connection) throws -> T) throws(VecdError) -> T {
        try readers.withConnection(body)
    }

    /// Runs `body` with the connection held (no transaction): for reads.
    func read<T: Sendable>(_ body: (StoreState) throws -> T) throws(VecdError) -> T {
        let result: Result<T, any Error> = state.withLock { state in Result { try body(state) } }
        return try result.mapError(VecdError.wrap).get()
    }

    /// Runs `body` in one transaction. The vector changes it logs reach the indexes after the commit (still under
    /// the lock, so in commit order); on a throw nothing is kept.
    func write<T: Sendable>(_ body: (StoreState, VectorChanges) throws -> T) throws(VecdError) -> T {
        let result: Result<T, any Error> = state.withLock { state in
            let changes = VectorChanges()
            let outcome = Result {
                try state.connection.inTransaction {
                    let before = try state.lastChangeSequence()
                    let value = try body(state, changes)
                    return (before: before, changed: try state.lastChangeSequence() != before, value: value)
                }
            }
            guard case .success(let done) = outcome else { return outcome.map(\.value) }
            for collection in changes.created { state.collections[collection.info.name] = collection }
            if done.changed { state.applyChanges(after: done.before) }
            return .success(done.value)
        }
        return try result.mapError(VecdError.wrap).get()
    }

    /// The embeddings of `texts`, checked against the embedder's dimension.
    func embed(_ texts: [String]) async throws(VecdError) -> [[Float]] {
        guard let embedder else {
            throw VecdError(.noEmbedder, "text was given where a vector is needed, and the store has no embedder")
        }
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        let batchSize = max(1, configuration.embeddingBatchSize)
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let batch = Array(texts[start..<min(start + batchSize, texts.count)])
            let embedded: [[Float]]
            do {
                embedded = try await embedder.embed(batch)
            } catch let error as EmbedderError {
                // Text the embedder cannot use is the caller's to fix (400), not an embedder failure (502).
                switch error {
                case .emptyText:
                    throw VecdError(.emptyText, "the text has no words to embed (\(embedder.modelID))")
                case .textTooLong(_, let byteCount, let limit):
                    throw VecdError(.tooLarge, "the text has \(byteCount) bytes; the embedder takes at most \(limit)")
                default:
                    throw VecdError(.embedderFailed, "embedder \(embedder.modelID) failed: \(error)")
                }
            } catch {
                throw VecdError(.embedderFailed, "embedder \(embedder.modelID) failed: \(error)")
            }
            guard embedded.count == batch.count else {
                throw VecdError(
                    .embedderFailed,
                    "embedder \(embedder.modelID) returned \(embedded.count) vectors for \(batch.count) texts")
            }
            for vector in embedded where vector.count != embedder.dimension {
                throw VecdError(
                    .embedderFailed,
                    "embedder \(embedder.modelID) declares \(embedder.dimension) dimensions but "
                        + "returned a vector of \(vector.count)")
            }
            vectors += embedded
        }
        return vectors
    }

    /// The vector of `input`: the given one, or the embedding of its text.
    func vector(for input: TextOrVector) async throws(VecdError) -> [Float] {
        switch input {
        case .vector(let vector): return vector
        case .text(let text):
            try checkText(text, limit: configuration.maxTextByteCount, what: "text")
            return try await embed([text])[0]
        }
    }

    /// The vector of `input` for the collection `name`: like ``vector(for:)``, but text is refused before it is
    /// embedded when the collection holds another model's vectors.
    func vector(for input: TextOrVector, in name: String) async throws(VecdError) -> [Float] {
        if case .text = input, let collection = catalog.all[name] { try checkEmbedderModel(of: collection.info) }
        return try await vector(for: input)
    }

    /// Refuses to embed text for `collection` when its vectors came from a model other than the store's embedder.
    ///
    /// Vectors of two models share no geometry (and often not even a dimension), so a search would return noise and
    /// an insert would poison the index. A collection filled with raw vectors records no model and takes any text.
    func checkEmbedderModel(of collection: CollectionInfo) throws(VecdError) {
        guard let embedder else { return }
        try Self.checkModel(embedder.modelID, dimension: embedder.dimension, against: collection)
    }

    /// Refuses vectors of `model` for `collection` when it records another model ("" on either side: no check).
    static func checkModel(_ model: String, dimension: Int, against collection: CollectionInfo) throws(VecdError) {
        guard !model.isEmpty, !collection.modelID.isEmpty, collection.modelID != model else { return }
        throw VecdError(
            .modelMismatch,
            "collection \(collection.name) holds vectors of \(collection.modelID) (\(collection.dimension) dimensions), "
                + "but this store embeds text with \(model) (\(dimension)); open the store with the collection's "
                + "embedder, or send vectors instead of text")
    }

    /// The store's current time.
    var now: Date { configuration.clock() }
}

/// Text to embed, or a vector given directly.
public enum TextOrVector: Sendable, Equatable {
    case text(String)
    case vector([Float])
}

/// Refuses empty or oversized text.
func checkText(_ text: String, limit: Int, what: String) throws(VecdError) {
    guard !text.allSatisfy(\.isWhitespace) else { throw VecdError(.emptyText, "\(what) must not be empty") }
    let byteCount = text.utf8.count
    guard byteCount <= limit else {
        throw VecdError(.tooLarge, "\(what) has \(byteCount) bytes; the limit is \(limit)")
    }
}
