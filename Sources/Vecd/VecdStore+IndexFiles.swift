import Foundation

extension VecdStore {
    /// The directory holding every collection's index files (`DIR/collections`).
    static func indexRoot(_ storeDirectory: URL) -> URL {
        storeDirectory.appendingPathComponent("collections")
    }

    /// Removes index directories of collections that no longer exist (deleted while the store was down, or a
    /// crash between a delete's commit and the removal).
    static func removeIndexDirectories(except ids: Set<Int64>, storeDirectory: URL) {
        let root = indexRoot(storeDirectory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return }
        for name in names where Int64(name).map({ !ids.contains($0) }) ?? false {
            try? FileManager.default.removeItem(at: root.appendingPathComponent(name))
        }
    }
}
