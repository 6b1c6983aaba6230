#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file descriptor whose every failure becomes a ``StorageError`` naming the path, offset and errno.
/// The owner closes it; it is a plain value so that it can live inside locked state.
struct POSIXFile: Sendable {
    let descriptor: Int32
    let path: String

    /// Opens `path` with `flags` (`O_RDONLY`, `O_RDWR | O_CREAT`, …), retrying on EINTR.
    static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) throws(StorageError) -> POSIXFile {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return POSIXFile(descriptor: fd, path: path) }
            if errno != EINTR { throw .system("open", path: path) }
        }
    }

    func close() { _ = Glibc.close(descriptor) }

    /// Size of the file in bytes.
    func size() throws(StorageError) -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .system("fstat", path: path) }
        return Int(info.st_size)
    }

    /// Writes all of `bytes` at the current position.
    func write(_ bytes: UnsafeRawBufferPointer, offsetForErrors: Int? = nil) throws(StorageError) {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw .system("write", path: path, offset: offsetForErrors.map { $0 + done })
            }
            done += n
        }
    }

    func write(_ bytes: [UInt8], offsetForErrors: Int? = nil) throws(StorageError) {
        try bytes.withBytes { (raw) throws(StorageError) in try write(raw, offsetForErrors: offsetForErrors) }
    }

    /// Reads exactly `count` bytes at `offset`; fewer (the file ended) is a ``StorageError/Code/corrupt`` error.
    func read(count: Int, at offset: Int) throws(StorageError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system("pread", path: path, offset: offset + done)
            }
            if n == 0 {
                throw .corrupt(path, offset: offset + done, "file ends \(count - done) bytes early")
            }
            done += n
        }
        return bytes
    }

    /// Reads the whole file.
    func readAll() throws(StorageError) -> [UInt8] { try read(count: size(), at: 0) }

    /// Makes everything written so far durable.
    func sync() throws(StorageError) {
        while fsync(descriptor) != 0 {
            if errno != EINTR { throw .system("fsync", path: path) }
        }
    }

    func truncate(to length: Int) throws(StorageError) {
        while ftruncate(descriptor, off_t(length)) != 0 {
            if errno != EINTR { throw .system("ftruncate to \(length) bytes", path: path) }
        }
    }

    func seek(to offset: Int) throws(StorageError) {
        guard lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else { throw .system("lseek", path: path) }
    }
}

/// Storage-layer file-system operations that name their path in every error.
public enum FileSystem {
    /// Replaces the file at `path` with `data` so that a crash leaves either the old or the new file, never a mix:
    /// write a temporary file beside it, fsync it, rename it over `path`, fsync the directory.
    public static func atomicReplace(path: String, data: [UInt8]) throws(StorageError) {
        try atomicReplace(path: path) { (file) throws(StorageError) in try file.write(data, offsetForErrors: 0) }
    }

    /// As ``atomicReplace(path:data:)``, with the content written by `body` into the temporary file.
    static func atomicReplace(path: String, body: (POSIXFile) throws(StorageError) -> Void) throws(StorageError) {
        let temporary = path + ".tmp"
        let file = try POSIXFile.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
        do {
            try body(file)
            try file.sync()
            file.close()
        } catch {
            file.close()
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .system("rename \(temporary) over it", path: path, errno: code)
        }
        try syncDirectory(containing: path)
    }

    /// Reads the whole file at `path`.
    public static func readFile(_ path: String) throws(StorageError) -> [UInt8] {
        let file = try POSIXFile.open(path, flags: O_RDONLY)
        defer { file.close() }
        return try file.readAll()
    }

    /// Fsyncs the directory holding `path`, which makes a create, rename or unlink in it durable.
    public static func syncDirectory(containing path: String) throws(StorageError) {
        try syncDirectory(directoryName(of: path))
    }

    /// Fsyncs `directory` itself.
    public static func syncDirectory(_ directory: String) throws(StorageError) {
        let dir = try POSIXFile.open(directory, flags: O_RDONLY | O_DIRECTORY)
        defer { dir.close() }
        try dir.sync()
    }

    /// Creates `directory` (and its parents) when missing.
    public static func createDirectory(_ directory: String) throws(StorageError) {
        var partial = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, 0o755) != 0 && errno != EEXIST { throw .system("mkdir", path: partial) }
        }
    }

    /// Removes the file at `path`; a missing file is not an error.
    public static func removeFile(_ path: String) throws(StorageError) {
        if unlink(path) != 0 && errno != ENOENT { throw .system("unlink", path: path) }
    }

    /// Whether something exists at `path`.
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The names in `directory` (not `.` or `..`), unsorted.
    public static func listDirectory(_ directory: String) throws(StorageError) -> [String] {
        guard let dir = opendir(directory) else { throw .system("opendir", path: directory) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

/// The calling thread's `errno` (a function, because ``StorageError`` has an `errno` property that hides the global).
func currentErrno() -> Int32 { errno }

extension POSIXFile {
    /// Writes all of `bytes` at `offset` without moving the file position.
    func write(_ bytes: [UInt8], at offset: Int) throws(StorageError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes {
                pwrite(descriptor, $0.baseAddress! + done, bytes.count - done, off_t(offset + done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system("pwrite", path: path, offset: offset + done)
            }
            done += n
        }
    }
}
