import VecdSQLite
import VecdStorage

/// An error from the store. User errors (the request was refused and nothing was stored) are kept apart from
/// system errors (SQLite, I/O, an embedder that failed) by ``isUserError``.
public struct VecdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong. A struct, not an enum, so codes can be added without breaking callers.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A vector's length differs from its collection's dimension.
        public static let dimensionMismatch = Code(rawValue: "dimension_mismatch")
        /// A vector has a NaN or infinite component.
        public static let invalidVector = Code(rawValue: "invalid_vector")
        /// Text that must not be empty was empty (or only whitespace).
        public static let emptyText = Code(rawValue: "empty_text")
        /// Text, a batch or a value is over its documented limit.
        public static let tooLarge = Code(rawValue: "too_large")
        /// An argument is outside its documented range or form.
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// A filter key or value that vecd does not accept (for example SQL in a metadata key).
        public static let invalidFilter = Code(rawValue: "invalid_filter")
        /// The caller's role does not allow the change (for example a global memory written without admin rights).
        public static let forbidden = Code(rawValue: "forbidden")
        /// No row with that id (within the caller's tenant).
        public static let notFound = Code(rawValue: "not_found")
        /// The row exists already, or the change conflicts with a constraint.
        public static let conflict = Code(rawValue: "conflict")
        /// Text was given where a vector is needed, and the store has no embedder.
        public static let noEmbedder = Code(rawValue: "no_embedder")
        /// Text was given for a collection whose vectors came from another embedding model than the store's
        /// embedder: the two models' vectors cannot be compared, so nothing is embedded, searched or stored.
        public static let modelMismatch = Code(rawValue: "model_mismatch")
        /// A document type vecd cannot read (or whose converter is not installed).
        public static let unsupportedDocument = Code(rawValue: "unsupported_document")

        /// The embedder failed or returned vectors of the wrong shape.
        public static let embedderFailed = Code(rawValue: "embedder_failed")
        /// SQLite or the file system failed.
        public static let storage = Code(rawValue: "storage")
        /// The disk holding the store is full (or over its quota): the write was refused whole and nothing of it was
        /// stored; it can be retried once space is freed.
        public static let insufficientStorage = Code(rawValue: "insufficient_storage")
        /// The store's files cannot be written (a read-only file system, missing permissions): the write was
        /// refused whole and nothing of it was stored.
        public static let storageReadOnly = Code(rawValue: "storage_read_only")
        /// The database was written by a newer vecd.
        public static let schemaTooNew = Code(rawValue: "schema_too_new")
    }

    public var code: Code
    /// What was expected, what came in, and where.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether the caller can fix this by changing the request (nothing was stored).
    public var isUserError: Bool {
        ![Code.embedderFailed, .storage, .schemaTooNew, .insufficientStorage, .storageReadOnly].contains(code)
    }

    public var description: String { "\(code): \(message)" }

    /// The answer to a write refused because the disk is full.
    static let diskFull = VecdError(
        .insufficientStorage,
        "the disk holding the store is full: the write was not stored (nothing of it was kept); free space and retry")
    /// The answer to a write refused because the store's files cannot be written.
    static let readOnlyFiles = VecdError(
        .storageReadOnly,
        "the store's files cannot be written (read-only file system or missing permissions): the write was not stored")

    /// Whether `error` says the disk is full or the files cannot be written: a condition of the machine, not of
    /// the request or the data, so a write that meets it is refused whole rather than partly stored.
    static func isStorageUnavailable(_ error: any Error) -> Bool {
        let code = wrap(error).code
        return code == .insufficientStorage || code == .storageReadOnly
    }

    /// Wraps any error thrown inside the store: VecdErrors pass through, SQLite constraint failures become
    /// ``Code-swift.struct/conflict``, and everything else is a system error.
    static func wrap(_ error: any Error) -> VecdError {
        switch error {
        case let error as VecdError: return error
        case let error as SQLiteError where error.code == .schemaTooNew: return VecdError(.schemaTooNew, error.message)
        case let error as SQLiteError where error.code == .constraint:
            return VecdError(.conflict, conflictMessage(sqliteMessage: error.message))
        case let error as SQLiteError where error.code == .full: return .diskFull
        case let error as SQLiteError where error.code == .readOnly: return .readOnlyFiles
        case let error as StorageError where error.code == .noSpace: return .diskFull
        case let error as StorageError where error.code == .readOnly && error.errno != nil: return .readOnlyFiles
        case let error as SQLiteError: return VecdError(.storage, error.description)
        default: return VecdError(.storage, "\(error)")
        }
    }

    /// A constraint failure in the caller's words: SQLite's own text ("UNIQUE constraint failed:
    /// knowledge_relationships.source_id, …") names tables and columns, not what the caller sent.
    static func conflictMessage(sqliteMessage: String) -> String {
        if sqliteMessage.hasPrefix("UNIQUE constraint failed:") || sqliteMessage.contains("PRIMARY KEY") {
            let columns = sqliteMessage.dropFirst("UNIQUE constraint failed:".count)
                .split(separator: ",").map { String($0.drop { $0 == " " }) }
            let table = columns.first?.split(separator: ".").first.map(String.init) ?? ""
            let fields = columns.compactMap { $0.split(separator: ".").last.map(String.init) }
                .filter { $0 != "tenant_id" }
            let thing = thingNames[table] ?? "row"
            let key = fields.isEmpty ? "key" : fields.joined(separator: ", ")
            return "a \(thing) with the same \(key) exists already"
        }
        if sqliteMessage.hasPrefix("FOREIGN KEY") {
            return "the request refers to something that does not exist (or no longer exists)"
        }
        return "the request conflicts with what is stored (a value is missing or not allowed)"
    }

    /// What each table holds, as a client calls it.
    private static let thingNames = [
        "documents": "document", "chunks": "chunk", "memories": "memory", "preferences": "preference",
        "conversations": "conversation", "messages": "message", "feedback": "feedback entry",
        "training_data": "training example", "response_cache": "cache entry", "knowledge_items": "knowledge item",
        "knowledge_relationships": "relationship", "collections": "collection", "vectors": "vector",
    ]
}
