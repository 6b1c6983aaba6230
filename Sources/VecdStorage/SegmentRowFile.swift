#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
public import VecdIndex

/// The Float32 rows of a compact segment, read with `pread` instead of through the mapping: the low-RAM re-rank
/// source. Only the rows a search re-ranks are read, so the process keeps none of them mapped; what the reads leave
/// in the kernel's page cache is clean, counted apart (``SegmentReader/pageCacheByteCount(of:)``) and dropped first
/// under memory pressure.
public final class SegmentRowFile: RerankRowSource, @unchecked Sendable {  // immutable after init; pread is thread-safe
    public let path: String
    /// Where the `vectors.f32` block starts in the file.
    public let blockOffset: Int
    public let rowCount: Int
    public let dimension: Int
    private let descriptor: Int32

    init(path: String, blockOffset: Int, rowCount: Int, dimension: Int) throws(StorageError) {
        self.path = path
        self.blockOffset = blockOffset
        self.rowCount = rowCount
        self.dimension = dimension
        let file = try POSIXFile.open(path, flags: O_RDONLY)
        descriptor = file.descriptor
        // The reads are scattered rows: readahead would pull neighbouring rows into the page cache for nothing.
        _ = posix_fadvise(descriptor, off_t(blockOffset), off_t(rowCount * dimension * 4), POSIX_FADV_RANDOM)
    }

    deinit { _ = close(descriptor) }

    public func readRow(_ slot: Slot, into destination: UnsafeMutablePointer<Float>) -> Bool {
        guard Int(slot) < rowCount else { return false }
        return (try? read(into: UnsafeMutableRawPointer(destination), count: dimension * 4,
                          at: blockOffset + Int(slot) * dimension * 4)) != nil
    }

    /// Asks the kernel to drop this file's cached Float32 rows (clean pages, so nothing is lost), so that what the page
    /// cache holds afterwards is what the re-rank read. Used by `vecd bench lowram` before it serves.
    public func dropCachedRows() {
        _ = posix_fadvise(descriptor, off_t(blockOffset), off_t(rowCount * dimension * 4), POSIX_FADV_DONTNEED)
    }

    /// Appends row `row` to `vectors` (for compaction), or throws naming the file and offset.
    public func appendRow(_ row: Int, to vectors: inout [Float]) throws(StorageError) {
        let start = vectors.count
        vectors.append(contentsOf: repeatElement(0, count: dimension))
        var failure: StorageError?
        vectors.withUnsafeMutableBytes { bytes in
            do throws(StorageError) {
                try read(into: bytes.baseAddress! + start * 4, count: dimension * 4, at: blockOffset + row * dimension * 4)
            } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Reads exactly `count` bytes at `offset`, retrying on EINTR; a short file is corruption.
    func read(into target: UnsafeMutableRawPointer, count: Int, at offset: Int) throws(StorageError) {
        var done = 0
        while done < count {
            let n = pread(descriptor, target + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .system("pread", path: path, offset: offset + done)
            }
            if n == 0 { throw .corrupt(path, offset: offset + done, "file ends \(count - done) bytes early") }
            done += n
        }
    }

    /// CRC-32C of `count` bytes at `offset`, read in 1 MiB pieces (for `verify` of a block that is not mapped).
    func checksum(offset: Int, count: Int) throws(StorageError) -> UInt32 {
        let chunkByteCount = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkByteCount, alignment: 64)
        defer { buffer.deallocate() }
        var crc: UInt32 = 0
        var done = 0
        while done < count {
            let piece = min(chunkByteCount, count - done)
            try read(into: buffer.baseAddress!, count: piece, at: offset + done)
            crc = CRC32C.update(crc, UnsafeRawBufferPointer(rebasing: buffer[0..<piece]))
            done += piece
        }
        return crc
    }
}
