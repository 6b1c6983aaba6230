#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A whole file mapped read-only into memory; the bytes stay valid until the object is released.
///
/// `MAP_SHARED` + `PROT_READ`: pages come from the page cache and are shared by every process that maps the file, so
/// opening costs no reads and an idle segment costs no private memory. The mapping gets the process's ``MapAdvice``
/// (`VECD_MAP_ADVICE`; by default the kernel's own read-ahead).
final class MappedFile: @unchecked Sendable {  // immutable after init; the mapping is read-only
    let path: String
    let bytes: UnsafeRawBufferPointer

    init(path: String, advice: MapAdvice = .current) throws(StorageError) {
        self.path = path
        let file = try POSIXFile.open(path, flags: O_RDONLY)
        defer { file.close() }  // the mapping keeps its own reference to the file
        let size = try file.size()
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_SHARED, file.descriptor, 0), base != MAP_FAILED else {
            throw .system("mmap of \(size) bytes", path: path)
        }
        advice.apply(to: base, byteCount: size)
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    /// Takes the whole pages inside `offset..<offset + count` out of the mapping, leaving an inaccessible reservation
    /// (no memory, no file pages) so that nothing else is mapped there and a stray read faults instead of returning
    /// another object's bytes. Returns the withdrawn range. Called only while the owner is being set up.
    func withdraw(offset: Int, count: Int) throws(StorageError) -> Range<Int> {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (offset + page - 1) / page * page
        let end = max(start, (offset + count) / page * page)
        guard end > start, let base = bytes.baseAddress else { return start..<start }
        let target = UnsafeMutableRawPointer(mutating: base + start)
        let reserved = mmap(target, end - start, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0)
        guard reserved == target else { throw .system("mmap (withdraw \(start)..<\(end))", path: path) }
        return start..<end
    }

    /// Bytes of `offset..<offset + count` of the file at `path` that the kernel's page cache holds now, whether or
    /// not any process maps them (`mincore` over a temporary mapping that touches no page).
    static func pageCacheByteCount(path: String, offset: Int, count: Int) throws(StorageError) -> Int {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = offset / page * page
        let length = offset + count - start
        guard length > 0 else { return 0 }
        let file = try POSIXFile.open(path, flags: O_RDONLY)
        defer { file.close() }
        guard let base = mmap(nil, length, PROT_READ, MAP_SHARED, file.descriptor, off_t(start)), base != MAP_FAILED
        else { throw .system("mmap of \(length) bytes", path: path, offset: start) }
        defer { munmap(base, length) }
        let pages = (length + page - 1) / page
        var vector = [UInt8](repeating: 0, count: pages)
        guard mincore(base, length, &vector) == 0 else { throw .system("mincore", path: path, offset: start) }
        let residentPages = vector.reduce(0) { $0 + Int($1 & 1) }
        return min(residentPages * page, length)
    }

    /// Asks the kernel to drop the page cache of the file at `path` (clean pages only; nothing is lost).
    static func dropPageCache(path: String) throws(StorageError) {
        let file = try POSIXFile.open(path, flags: O_RDONLY)
        defer { file.close() }
        let result = posix_fadvise(file.descriptor, 0, 0, POSIX_FADV_DONTNEED)
        guard result == 0 else { throw .system("posix_fadvise", path: path, errno: result) }
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
