import Foundation

/// The checks a backup's destination passes before anything is written: a path the file system can hold as
/// given, and a place outside the data directory (a backup inside the store it copies would be copied into the
/// next backup, and removing the store would remove it).
///
/// The messages never repeat the path: over HTTP it is a path on the server's disk.
public enum BackupDestination {
    /// The longest path, in bytes, that Linux's file calls accept (PATH_MAX less the terminating NUL).
    static let maxPathBytes = 4_095
    /// The longest single name in a path, in bytes (NAME_MAX).
    static let maxNameBytes = 255

    /// Refuses a destination `path` holding a NUL, longer than the system takes, or naming a place inside
    /// `dataDirectory` (symlinks resolved on both sides).
    public static func check(_ path: String, dataDirectory: URL) throws(VecdError) {
        guard !path.utf8.contains(0) else {
            throw VecdError(.invalidArgument, "the backup destination holds a NUL character, which no path may hold")
        }
        let bytes = path.utf8.count
        guard bytes <= maxPathBytes else {
            throw VecdError(
                .invalidArgument,
                "the backup destination is \(bytes) bytes long; paths take at most \(maxPathBytes) bytes")
        }
        if let name = path.split(separator: "/").first(where: { $0.utf8.count > maxNameBytes }) {
            throw VecdError(
                .invalidArgument,
                "a name in the backup destination is \(name.utf8.count) bytes long; names take at most "
                    + "\(maxNameBytes) bytes")
        }
        let destination = resolved(URL(fileURLWithPath: path))
        let store = resolved(dataDirectory)
        if destination == store || destination.hasPrefix(store.hasSuffix("/") ? store : store + "/") {
            throw VecdError(
                .invalidArgument,
                "the backup destination is inside the data directory it would copy; give a directory outside it")
        }
    }

    /// `url`'s absolute path with `.` and `..` folded and the symlinks of its deepest existing ancestor resolved,
    /// so a link into the data directory, or a not yet existing directory below such a link, is seen for what
    /// it is.
    static func resolved(_ url: URL) -> String {
        var existing = url.standardizedFileURL
        var missing: [String] = []
        while existing.path != "/" && !FileManager.default.fileExists(atPath: existing.path) {
            missing.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var path = existing.resolvingSymlinksInPath().path
        for name in missing { path += (path.hasSuffix("/") ? "" : "/") + name }
        return path
    }
}
