#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one error type of the storage layer: what went wrong, in which file, where, and (for system calls) the errno.
///
/// ``isUserError`` separates requests that were refused with nothing lost (a held lock, a read-only directory)
/// from system failures (I/O, corruption, a full disk) that an operator must look at.
public struct StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure this is. A struct rather than an enum so that later versions can add codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// Bytes that fail their checksum, bad magic, impossible sizes: the file is damaged.
        public static let corrupt = Code(name: "corrupt")
        /// The file was written by a newer major version of the format than this reader understands.
        public static let versionTooNew = Code(name: "versionTooNew")
        /// A system call failed (see ``StorageError/errno``).
        public static let io = Code(name: "io")
        /// Another writer holds the data directory's lock.
        public static let locked = Code(name: "locked")
        /// The file system is full (ENOSPC or EDQUOT).
        public static let noSpace = Code(name: "noSpace")
        /// The directory or file cannot be written (EROFS, EACCES, EPERM), or the store was opened read-only.
        public static let readOnly = Code(name: "readOnly")
        /// A file that must exist is missing.
        public static let notFound = Code(name: "notFound")
        /// The caller passed something the format cannot hold (wrong buffer size, too long a name); nothing was written.
        public static let invalidArgument = Code(name: "invalidArgument")
        /// An earlier fsync failed, so nothing written since can be acknowledged; reopen to recover.
        public static let poisoned = Code(name: "poisoned")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The file or directory concerned.
    public var path: String
    /// The byte offset in `path` where the problem was found, when there is one.
    public var offset: Int?
    /// What was expected and what was found.
    public var detail: String
    /// The `errno` of the failed system call, when there is one.
    public var errno: Int32?

    public init(code: Code, path: String, offset: Int? = nil, detail: String, errno: Int32? = nil) {
        self.code = code
        self.path = path
        self.offset = offset
        self.detail = detail
        self.errno = errno
    }

    /// Whether the request was refused with nothing lost (as opposed to a system failure or damage).
    public var isUserError: Bool {
        code == .locked || code == .readOnly || code == .invalidArgument || code == .versionTooNew
    }

    public var description: String {
        var text = "\(code): \(path)"
        if let offset { text += " at offset \(offset)" }
        text += ": \(detail)"
        if let errno { text += " (errno \(errno): \(String(cString: strerror(errno))))" }
        return text
    }

    /// The error for a failed system call `operation` on `path`, classified by `errno`.
    static func system(_ operation: String, path: String, errno code: Int32 = currentErrno(), offset: Int? = nil)
        -> StorageError
    {
        let kind: Code
        switch code {
        case ENOSPC, EDQUOT: kind = .noSpace
        case EROFS, EACCES, EPERM: kind = .readOnly
        case ENOENT: kind = .notFound
        default: kind = .io
        }
        return StorageError(code: kind, path: path, offset: offset, detail: "\(operation) failed", errno: code)
    }

    /// A damaged-file error.
    static func corrupt(_ path: String, offset: Int? = nil, _ detail: String) -> StorageError {
        StorageError(code: .corrupt, path: path, offset: offset, detail: detail)
    }
}
