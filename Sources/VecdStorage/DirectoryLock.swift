import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exclusive writer lock on a data directory: `flock(2)` on `DIR/LOCK`, which holds the writer's pid.
///
/// `flock` rather than `fcntl` record locks because an `fcntl` lock is dropped when *any* descriptor of the file is
/// closed in the process, and is not exclusive between two opens in one process; `flock` locks belong to the open
/// file description, so a second writer in the same process is refused too. The kernel drops the lock when the
/// process dies (even by SIGKILL), so a crashed writer never leaves a stale lock. Readers take no lock.
public final class DirectoryLock: Sendable {
    /// The locked data directory.
    public let directory: String
    private let file: Mutex<POSIXFile?>

    /// The lock file inside `directory`.
    public static func lockPath(in directory: String) -> String { directory + "/LOCK" }

    /// Takes the writer lock on `directory`, or throws ``StorageError/Code/locked`` naming the holder's pid at once
    /// (it never waits).
    public init(directory: String) throws(StorageError) {
        self.directory = directory
        let path = Self.lockPath(in: directory)
        let lockFile = try POSIXFile.open(path, flags: O_RDWR | O_CREAT)
        if flock(lockFile.descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = currentErrno()
            let holder = Self.recordedPid(lockFile)
            lockFile.close()
            if code == EWOULDBLOCK {
                let who = holder.map { "process \($0)" } ?? "another process"
                throw StorageError(
                    code: .locked, path: path,
                    detail: "the data directory is open for writing by \(who); open it read-only or stop that writer")
            }
            throw .system("flock", path: path, errno: code)
        }
        do {
            try lockFile.truncate(to: 0)
            try lockFile.seek(to: 0)
            try lockFile.write(Array("\(getpid())\n".utf8))
        } catch {
            lockFile.close()
            throw error
        }
        file = Mutex(lockFile)
    }

    deinit { release() }

    /// Gives the lock up; later calls do nothing. The pid stays in the file (a reader only trusts it while locked).
    public func release() {
        file.withLock { held in
            held?.close()
            held = nil
        }
    }

    /// The pid of the process holding the writer lock on `directory`, or nil when no writer holds it.
    public static func holder(of directory: String) throws(StorageError) -> Int32? {
        let path = lockPath(in: directory)
        guard FileSystem.exists(path) else { return nil }
        let probe = try POSIXFile.open(path, flags: O_RDONLY)
        defer { probe.close() }
        if flock(probe.descriptor, LOCK_SH | LOCK_NB) == 0 { return nil }  // nobody holds it exclusively
        return recordedPid(probe) ?? -1
    }

    private static func recordedPid(_ file: POSIXFile) -> Int32? {
        guard let bytes = try? file.read(count: min((try? file.size()) ?? 0, 32), at: 0) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        return Int32(text)
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }
}
