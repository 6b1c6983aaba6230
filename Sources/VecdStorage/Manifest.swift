public import VecdKernels

/// The list of live files of a data directory (`formats/manifest.md`): per collection, its segments, their deletion
/// bitmaps and the WAL sequence number they cover. Replaced as a whole, atomically, on every change.
public struct Manifest: Equatable, Sendable {
    /// Increases by one on every replacement, so that a reader can tell two states apart.
    public var generation: UInt64
    public var collections: [Collection]

    public init(generation: UInt64 = 0, collections: [Collection] = []) {
        self.generation = generation
        self.collections = collections
    }

    /// One collection's durable state.
    public struct Collection: Equatable, Sendable {
        /// The number WAL records use for this collection.
        public var id: UInt32
        /// The collection's name (UTF-8, at most 65,535 bytes).
        public var name: String
        public var dimension: UInt32
        public var metric: DistanceMetric
        /// Every WAL record of this collection up to this sequence number is in the segments; replay starts after it.
        public var coveredSequence: SequenceNumber
        /// The owner's own change number that the segments cover (vecd's store keeps its SQLite change sequence here,
        /// so that an open replays only the SQLite changes after it); 0 when the owner keeps none. Format 2 and later.
        public var externalSequence: UInt64
        public var segments: [Segment]

        public init(
            id: UInt32, name: String, dimension: UInt32, metric: DistanceMetric,
            coveredSequence: SequenceNumber = .zero, externalSequence: UInt64 = 0, segments: [Segment] = []
        ) {
            self.id = id
            self.name = name
            self.dimension = dimension
            self.metric = metric
            self.coveredSequence = coveredSequence
            self.externalSequence = externalSequence
            self.segments = segments
        }
    }

    /// One live segment file and its deletions.
    public struct Segment: Equatable, Sendable {
        public var segmentID: UInt64
        /// The segment file's name, relative to the data directory.
        public var fileName: String
        public var rowCount: UInt64
        /// The deletion-bitmap file's name, or nil when no row of the segment is deleted.
        public var deletionFileName: String?
        public var deletedCount: UInt64

        public init(
            segmentID: UInt64, fileName: String, rowCount: UInt64, deletionFileName: String? = nil,
            deletedCount: UInt64 = 0
        ) {
            self.segmentID = segmentID
            self.fileName = fileName
            self.rowCount = rowCount
            self.deletionFileName = deletionFileName
            self.deletedCount = deletedCount
        }
    }

    /// The oldest WAL sequence number any collection still needs: WAL files wholly at or before it can go.
    public var coveredSequence: SequenceNumber {
        collections.map(\.coveredSequence).min() ?? .zero
    }

    /// The manifest's path inside a data directory.
    public static func path(in directory: String) -> String { directory + "/MANIFEST" }

    /// Reads the manifest of `directory`, or returns nil when there is none yet (a new directory).
    public static func load(directory: String) throws(StorageError) -> Manifest? {
        let path = path(in: directory)
        guard FileSystem.exists(path) else { return nil }
        return try ManifestCodec.decode(try FileSystem.readFile(path), path: path)
    }

    /// Replaces the manifest of `directory` with this one, atomically (write, fsync, rename, fsync the directory).
    public func save(directory: String) throws(StorageError) {
        let path = Self.path(in: directory)
        try FileSystem.atomicReplace(path: path, data: try ManifestCodec.encode(self, path: path))
    }
}
