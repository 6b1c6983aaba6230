import Foundation

/// A fresh directory under the system temporary directory for one test, removed when the test drops it.
public final class TemporaryDirectory {
    /// The directory's path (no trailing slash).
    public let path: String

    /// The directory as a file URL.
    public var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    /// Creates the directory, named after `name` (the calling test by default), so a leftover one says whose it is.
    public init(_ name: String = #function) {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-\(safe)-\(UUID().uuidString)").path
        // A test cannot run without its directory; failing here names the cause better than every later open would.
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }
}
