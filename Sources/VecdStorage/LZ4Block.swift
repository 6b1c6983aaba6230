import CLZ4

/// LZ4 block compression (liblz4's block API, no frame) for the segment blocks that compress: id maps and upper links.
enum LZ4Block {
    /// The compressed bytes of `raw`, or nil when compression would not save at least an eighth (random ids, dense
    /// links) or the block is beyond liblz4's 2 GB input limit; such blocks are stored raw.
    static func compressIfWorthwhile(_ raw: [UInt8]) -> [UInt8]? {
        guard !raw.isEmpty, raw.count <= Int(LZ4_MAX_INPUT_SIZE) else { return nil }
        let capacity = Int(LZ4_compressBound(Int32(raw.count)))
        var output = [UInt8](repeating: 0, count: capacity)
        let written = raw.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { destination in
                LZ4_compress_default(
                    source.baseAddress!.assumingMemoryBound(to: CChar.self),
                    destination.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(raw.count), Int32(capacity))
            }
        }
        guard written > 0, Int(written) <= raw.count - raw.count / 8 else { return nil }
        output.removeSubrange(Int(written)...)
        return output
    }

    /// Decompresses `compressed` into exactly `rawByteCount` bytes, or throws ``StorageError/Code/corrupt``.
    static func decompress(_ compressed: UnsafeRawBufferPointer, rawByteCount: Int, path: String, offset: Int)
        throws(StorageError) -> [UInt8]
    {
        guard rawByteCount <= Int(LZ4_MAX_INPUT_SIZE), compressed.count <= Int(Int32.max) else {
            throw .corrupt(path, offset: offset, "compressed block claims \(rawByteCount) bytes, beyond LZ4's limit")
        }
        var output = [UInt8](repeating: 0, count: rawByteCount)
        let produced = output.withUnsafeMutableBytes { destination in
            LZ4_decompress_safe(
                compressed.baseAddress?.assumingMemoryBound(to: CChar.self),
                destination.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(compressed.count),
                Int32(rawByteCount))
        }
        guard produced == Int32(rawByteCount) else {
            throw .corrupt(path, offset: offset, "LZ4 block decodes to \(produced) bytes, expected \(rawByteCount)")
        }
        return output
    }
}
