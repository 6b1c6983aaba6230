public import Foundation
import Synchronization
import VecdIndex
import VecdKernels
import VecdSQLite
public import VecdEmbed

/// The in-process learning-engine store: documents and chunks with vector, full-text and hybrid search, memories,
/// preferences, conversations, feedback and training data, the response cache and knowledge items, over one SQLite
/// database plus an HNSW index per collection.
///
/// Consistency: SQLite is the source of truth. Each write is one SQLite transaction; vectors enter the indexes only
/// after it commits, and every index is rebuilt from the `vectors` table when the store opens, so after a crash no
/// row lacks its vector nor the reverse. A search result whose row was deleted meanwhile is dropped, never returned
/// without its row.
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
    private let removesDirectory: Bool

    /// The SQLite file inside the directory.
    public static let databaseFileName = "vecd.sqlite"

    /// Opens (creating if needed) the store in `directory`: applies pending migrations and builds every collection's
    /// index from the stored vectors.
    public convenience init(
        directory: URL, embedder: (any Embedder)? = nil, configuration: Configuration = Configuration()
    ) throws(VecdError) {
        try self.init(directory: directory, embedder: embedder, configuration: configuration, removesDirectory: false)
    }

    /// A store in a new temporary directory, deleted when the store is released: for tests and `--ephemeral`.
    public static func temporary(
        embedder: (any Embedder)? = nil, configuration: Configuration = Configuration()
    ) throws(VecdError) -> VecdStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-\(newID())")
        return try VecdStore(
            directory: directory, embedder: embedder, configuration: configuration,
            removesDirectory: true)
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
            let connection = try Connection(path: directory.appendingPathComponent(Self.databaseFileName).path)
            try Migrator(migrations: Migration.vecdSchema).migrate(connection)
            let collections = try connection.inTransaction { try Self.loadCollections(connection) }
            state = Mutex(StoreState(connection: connection, collections: collections))
        } catch {
            throw VecdError.wrap(error)
        }
    }

    deinit {
        if removesDirectory { try? FileManager.default.removeItem(at: directory) }
    }

    private static func loadCollections(_ connection: Connection) throws -> [String: VectorCollection] {
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
            collections[row.info.name] = try VectorCollection.load(id: row.id, info: row.info, connection: connection)
        }
        return collections
    }

    // MARK: - Database access

    /// Runs `body` with the connection held (no transaction): for reads.
    func read<T: Sendable>(_ body: (StoreState) throws -> T) throws(VecdError) -> T {
        let result: Result<T, any Error> = state.withLock { state in Result { try body(state) } }
        return try result.mapError(VecdError.wrap).get()
    }

    /// Runs `body` in one transaction. Vector changes it records in `changes` reach the indexes after the commit
    /// (still under the lock, so slots are assigned in commit order); on a throw nothing is kept.
    func write<T: Sendable>(_ body: (StoreState, VectorChanges) throws -> T) throws(VecdError) -> T {
        let result: Result<T, any Error> = state.withLock { state in
            let changes = VectorChanges()
            let outcome = Result { try state.connection.inTransaction { try body(state, changes) } }
            if case .success = outcome { changes.apply(to: state) }
            return outcome
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
            do { embedded = try await embedder.embed(batch) } catch {
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
