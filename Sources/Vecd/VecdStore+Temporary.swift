import Foundation
import VecdStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension VecdStore {
    /// Names of temporary stores' directories start with this (`vecd-<uuid>`).
    static let temporaryDirectoryPrefix = "vecd-"
    /// The empty file that marks a directory made by ``temporary(embedder:configuration:)``: only such directories
    /// are ever removed by ``removeAbandonedTemporaryStores(in:)``.
    static let temporaryMarkerName = "TEMPORARY"

    /// Deletes this store's directory now if it is a temporary store (a no-op otherwise), without waiting for the
    /// store to be released: `vecd serve --ephemeral` calls it on every way out, since a task still holding the
    /// store at exit would keep `deinit` from running. The store must not be used afterwards.
    public func removeTemporaryDirectory() {
        guard removesDirectory else { return }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Removes the temporary stores under `parent` (default `$TMPDIR`) left by processes that died without
    /// cleaning up (SIGKILL, a crash): a `vecd-*` directory holding the temporary marker whose writer lock nobody
    /// holds and whose recorded owner process is gone. A live process's store is never touched, whether or not it
    /// holds the lock at that instant. Returns the removed directories.
    @discardableResult
    public static func removeAbandonedTemporaryStores(
        in parent: URL = FileManager.default.temporaryDirectory
    ) -> [URL] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: parent.path) else { return [] }
        var removed: [URL] = []
        for name in names where name.hasPrefix(temporaryDirectoryPrefix) {
            let candidate = parent.appendingPathComponent(name)
            guard manager.fileExists(atPath: candidate.appendingPathComponent(temporaryMarkerName).path),
                isAbandoned(candidate)
            else { continue }
            if (try? manager.removeItem(at: candidate)) != nil { removed.append(candidate) }
        }
        return removed
    }

    /// Whether the store in `directory` has no live owner: its lock file names a pid, nobody holds the lock, and
    /// no process of that pid exists. A lock file without a pid (a store being created) counts as owned.
    private static func isAbandoned(_ directory: URL) -> Bool {
        let lockPath = DirectoryLock.lockPath(in: directory.path)
        guard let text = try? String(contentsOfFile: lockPath, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0
        else { return false }
        guard (try? DirectoryLock.holder(of: directory.path)) == .some(nil) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
