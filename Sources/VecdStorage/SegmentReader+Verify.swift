import VecdIndex

extension SegmentReader {
    /// Reads every byte of the file and checks it: each block's checksum (stored bytes and padding), the decoded
    /// blocks, and the graph's shape (levels add up, link counts within the degree, neighbours inside the segment),
    /// so that a segment that passes cannot send a search out of bounds. For `vecd verify`.
    public func verify() throws(StorageError) {
        for block in blocks { try verifyBlock(block.kind) }
        _ = try ids()
        _ = try quantizer()
        let upper = try upperLinks()
        let p = header.parameters
        let rows = header.rowCount
        var levelSum = 0
        var topLevel = 0
        for slot in 0..<rows {
            let level = Int(levels[slot])
            guard level <= 15 else {
                throw .corrupt(path, offset: block(of: .levels)!.offset + slot, "slot \(slot) has level \(level)")
            }
            levelSum += level
            topLevel = max(topLevel, level)
        }
        guard levelSum == header.upperRecordCount else {
            throw .corrupt(
                path, offset: 64,
                "levels add up to \(levelSum) upper records, the header says \(header.upperRecordCount)")
        }
        if let entry = header.entryPoint, Int(levels[Int(entry.slot)]) != entry.level || entry.level != topLevel {
            throw .corrupt(path, offset: 56, "entry point \(entry.slot) is not on the top level \(topLevel)")
        }
        let ground = groundLinkWords
        let groundRecord = 1 + 2 * p.m
        for slot in 0..<rows {
            try checkLinkRecord(ground, start: slot * groundRecord, degree: 2 * p.m, rows: rows, kind: .groundLinks)
        }
        try upper.withUnsafeBufferPointer { (records) throws(StorageError) in
            for record in 0..<header.upperRecordCount {
                try checkLinkRecord(records, start: record * (1 + p.m), degree: p.m, rows: rows, kind: .upperLinks)
            }
        }
    }

    private func checkLinkRecord(
        _ words: UnsafeBufferPointer<UInt32>, start: Int, degree: Int, rows: Int, kind: SegmentBlock.Kind
    ) throws(StorageError) {
        let count = Int(UInt32(littleEndian: words[start]))
        guard count <= degree else {
            throw .corrupt(
                path, offset: block(of: kind)!.offset,
                "\(kind) record \(start / (1 + degree)) holds \(count) links, at most \(degree) allowed")
        }
        for i in 0..<count where Int(UInt32(littleEndian: words[start + 1 + i])) >= rows {
            throw .corrupt(
                path, offset: block(of: kind)!.offset,
                "\(kind) record \(start / (1 + degree)) links to a slot outside \(rows) rows")
        }
    }
}
