/// Where the storage files of one data directory live:
///
/// ```
/// DIR/LOCK          writer lock (flock) holding the writer's pid          DirectoryLock
/// DIR/MANIFEST      live segments and bitmaps per collection              Manifest, formats/manifest.md
/// DIR/wal/          wal-<first sequence, 16 hex digits>.log               WALWriter, formats/wal.md
/// DIR/<name>.vseg   immutable segment files named by the manifest         SegmentWriter, formats/segment.md
/// DIR/<name>.del    deletion bitmaps named by the manifest                DeletionBitmap
/// ```
public struct DataDirectory: Sendable, Equatable {
    /// The directory itself.
    public let path: String

    public init(path: String) { self.path = path }

    public var lockPath: String { DirectoryLock.lockPath(in: path) }
    public var manifestPath: String { Manifest.path(in: path) }
    public var walDirectory: String { path + "/wal" }

    /// The path of a file the manifest names (a plain name inside the directory).
    public func file(_ name: String) -> String { path + "/" + name }
}
