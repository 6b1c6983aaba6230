#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A whole file mapped read-only into memory; the bytes stay valid until the object is released.
///
/// `MAP_SHARED` + `PROT_READ`: pages come from the page cache and are shared by every process that maps the file, so
/// opening costs no reads and an idle segment costs no private memory.
final class MappedFile: @unchecked Sendable {  // immutable after init; the mapping is read-only
    let path: String
    let bytes: UnsafeRawBufferPointer

    init(path: String) throws(StorageError) {
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
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
