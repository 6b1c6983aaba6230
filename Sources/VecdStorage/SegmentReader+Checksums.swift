#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SegmentReader {
    /// Checks the checksum of every block, reading the file with `pread` in 1 MiB pieces rather than through the
    /// mapping: a collection opening its segments calls this, so that a damaged row, link or level is found before
    /// any search is served from it (one flipped bit in `vectors.f32` would otherwise rank a wrong row first, and a
    /// component turned infinite would poison every distance). Reading through the file leaves the mapping untouched,
    /// so nothing becomes resident in the process: the pages read are clean page cache, which the first searches
    /// then fault in cheaply (or the kernel drops first under memory pressure).
    ///
    /// Throws ``StorageError/Code/corrupt`` naming the file, the block and its offset.
    public func verifyBlockChecksums() throws(StorageError) {
        let file = try POSIXFile.open(path, flags: O_RDONLY)
        defer { file.close() }
        _ = posix_fadvise(file.descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        let pieceByteCount = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: pieceByteCount, alignment: 64)
        defer { buffer.deallocate() }
        for block in blocks {
            let span = roundUp(block.storedByteCount, to: header.pageByteCount)
            var crc: UInt32 = 0
            var done = 0
            while done < span {
                let piece = min(pieceByteCount, span - done)
                try Self.read(file, into: buffer.baseAddress!, count: piece, at: block.offset + done)
                crc = CRC32C.update(crc, UnsafeRawBufferPointer(rebasing: buffer[0..<piece]))
                done += piece
            }
            guard crc == block.checksum else {
                throw .corrupt(
                    path, offset: block.offset,
                    "block \(block.kind) checksum mismatch (stored \(hex(block.checksum)), computed \(hex(crc)))")
            }
        }
    }

    private static func read(
        _ file: POSIXFile, into target: UnsafeMutableRawPointer, count: Int, at offset: Int
    ) throws(StorageError) {
        var done = 0
        while done < count {
            let n = pread(file.descriptor, target + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .system("pread", path: file.path, offset: offset + done)
            }
            if n == 0 { throw .corrupt(file.path, offset: offset + done, "file ends \(count - done) bytes early") }
            done += n
        }
    }
}
