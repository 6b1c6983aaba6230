import Testing
import VecdBench
import VecdIndex
import VecdKernels

/// Identical and near-identical vectors (boilerplate chunks, a document ingested twice) must not fragment the graph:
/// recall is measured against exact ground truth with ties resolved, so returning any of several equal rows counts.
@Suite("HNSW on duplicate-heavy data")
struct DuplicateVectorTests {
    /// One generated set: `distinct × copies` repeated vectors beside `unique` rows.
    struct Shape: CustomTestStringConvertible, Sendable {
        var unique: Int
        var distinct: Int
        var copies: Int
        var placement: DuplicateVectors.Placement
        var nearCopyNoise: Float = 0

        var duplicateFraction: Double { Double(distinct * copies) / Double(unique + distinct * copies) }
        var testDescription: String {
            "\(distinct)×\(copies) \(nearCopyNoise == 0 ? "exact" : "near") copies \(placement.rawValue), "
                + "\(unique) unique (\(Int((duplicateFraction * 100).rounded()))% duplicates)"
        }

        func data(dimension: Int = 32, seed: UInt64 = 0xD0_0000) -> VectorMatrix<Float> {
            DuplicateVectors.make(uniqueRows: unique, distinct: distinct, copies: copies, dimension: dimension,
                                  placement: placement, nearCopyNoise: nearCopyNoise, seed: seed)
        }
    }

    static let queries = SyntheticVectors.clustered(rows: 100, dimension: 32, clusters: 20, seed: 0xD0_0001)

    static func build(_ base: VectorMatrix<Float>, storage: VectorStorageMode = .float32, threads: Int = 2)
        throws -> HNSWIndex
    {
        let index = try HNSWIndex(parameters: HNSWParameters(dimension: base.dimension, storage: storage))
        try base.values.withUnsafeBufferPointer { _ = try index.add($0, threads: threads) }
        return index
    }

    static func recall(_ index: HNSWIndex, base: VectorMatrix<Float>, efSearch: Int = 64) throws -> Double {
        var returned: [[Int32]] = []
        for q in 0..<queries.rows {
            let parameters = SearchParameters(k: 10, efSearch: efSearch)
            let result = try index.search(Array(queries.row(q)), parameters: parameters)
            returned.append(result.neighbors.map { Int32($0.slot) })
        }
        return DuplicateVectors.tieAwareRecall(results: returned, base: base, queries: queries, k: 10, metric: .cosine)
    }

    static let shapes: [Shape] = [
        Shape(unique: 5000, distinct: 40, copies: 250, placement: .first),
        Shape(unique: 5000, distinct: 40, copies: 250, placement: .last),
        Shape(unique: 4950, distinct: 10, copies: 5, placement: .mixed),
        Shape(unique: 4000, distinct: 40, copies: 25, placement: .mixed),
        Shape(unique: 2500, distinct: 25, copies: 100, placement: .first),
        Shape(unique: 1000, distinct: 40, copies: 100, placement: .mixed),
        Shape(unique: 5000, distinct: 40, copies: 250, placement: .first, nearCopyNoise: 1e-6),
        Shape(unique: 1000, distinct: 40, copies: 100, placement: .last, nearCopyNoise: 1e-6),
    ]

    @Test("recall@10 with ties resolved is at least 0.95 at efSearch 64", arguments: shapes)
    func recallFloor(shape: Shape) throws {
        let base = shape.data()
        let index = try Self.build(base)
        try index.checkInvariants()
        let recall = try Self.recall(index, base: base)
        #expect(recall >= 0.95, "recall \(recall)")
    }

    @Test("compact storage modes share the build path and keep the floor", arguments: [VectorStorageMode.float16, .int8])
    func compactStorage(storage: VectorStorageMode) throws {
        let base = Self.shapes[0].data()
        let index = try Self.build(base, storage: storage)
        try index.checkInvariants()
        let recall = try Self.recall(index, base: base)
        #expect(recall >= 0.95, "recall \(recall) with \(storage.rawValue) storage")
    }

    @Test("one thread and row-at-a-time inserts keep the floor as the concurrent batch build does")
    func singleThreadAndOneAtATime() throws {
        let base = Shape(unique: 2000, distinct: 20, copies: 100, placement: .first).data()
        let batch = try Self.build(base, threads: 1)
        let single = try HNSWIndex(parameters: HNSWParameters(dimension: base.dimension))
        for row in 0..<base.rows { try single.add(Array(base.row(row))) }
        for index in [batch, single] {
            try index.checkInvariants()
            let recall = try Self.recall(index, base: base)
            #expect(recall >= 0.95, "recall \(recall)")
        }
    }

    @Test("a lone unique row among boilerplate copies comes first at the default efSearch")
    func uniqueAmongBoilerplate() throws {
        // 300 documents of five shared boilerplate paragraphs each (exact copies), then one unique row.
        var generator = SeededGenerator(seed: 0xFA0)
        let dimension = 32
        let paragraphs = (0..<5).map { _ in (0..<dimension).map { _ in generator.nextGaussian() } }
        var values: [Float] = []
        for _ in 0..<300 { for paragraph in paragraphs { values += paragraph } }
        let report = (0..<dimension).map { _ in generator.nextGaussian() }
        values += report
        let index = try HNSWIndex(parameters: HNSWParameters(dimension: dimension))
        for row in 0..<(values.count / dimension) {
            try index.add(Array(values[(row * dimension)..<((row + 1) * dimension)]))
        }
        let query = report.map { $0 + 0.3 * generator.nextGaussian() }
        let found = try index.search(query, parameters: SearchParameters(k: 3))
        #expect(found.neighbors.first?.slot == Slot(1500), "got \(found.neighbors.map(\.slot))")
    }

    @Test("deleting copies of a vector keeps the other copies findable; re-adding one (an upsert) is found")
    func deleteOneCopyAndUpsert() throws {
        let shape = Shape(unique: 3000, distinct: 10, copies: 50, placement: .first)
        let base = shape.data()
        let index = try Self.build(base)
        // Copies of original 0 are slots 0, 10, 20, … (copy i repeats original i % distinct).
        let copiesOfZero = (0..<shape.copies).map { Slot($0 * shape.distinct) }
        let deleted = Set(copiesOfZero.prefix(40))
        for slot in deleted { try index.delete(slot) }
        let query = Array(base.row(0))
        let survivors = Set(copiesOfZero.dropFirst(40))
        let found = try index.search(query, parameters: SearchParameters(k: 10, efSearch: 64))
        #expect(Set(found.neighbors.map(\.slot)) == survivors, "got \(found.neighbors.map(\.slot))")
        // An upsert deletes the old row and adds the new value: the new slot is found among the copies.
        let upserted = try index.add(query)
        let again = try index.search(query, parameters: SearchParameters(k: 11, efSearch: 64))
        #expect(Set(again.neighbors.map(\.slot)) == survivors.union([upserted]))
        try index.checkInvariants()
        #expect(try Self.recall(index, base: base) >= 0.9)
    }

    @Test("a filter that allows one copy, or copies of one vector only, finds them")
    func filteredCopies() throws {
        let shape = Shape(unique: 3000, distinct: 10, copies: 50, placement: .first)
        let base = shape.data()
        let index = try Self.build(base)
        let query = Array(base.row(0))
        var twins: [Slot] = []
        for row in 0..<base.rows where Array(base.row(row)) == query { twins.append(Slot(row)) }
        #expect(twins.count == shape.copies)
        let one = twins[twins.count / 2]
        let single = try index.search(query, parameters: SearchParameters(k: 3), filter: PredicateFilter { $0 == one })
        #expect(single.neighbors.map(\.slot) == [one])
        // Every other slot but the twins: the nearest allowed rows are then unique rows, found by the filtered walk.
        let twinSet = Set(twins)
        let others = AllowedSlots((0..<base.rows).map { Slot($0) }.filter { !twinSet.contains($0) })
        let filtered = try index.search(query, parameters: SearchParameters(k: 10, efSearch: 64), filter: others)
        #expect(filtered.neighbors.count == 10)
        #expect(filtered.neighbors.allSatisfy { !twinSet.contains($0.slot) })
        let exact = try FlatIndex(dimension: base.dimension, metric: .cosine)
        for row in 0..<base.rows { try exact.add(Array(base.row(row))) }
        let truth = try exact.search(query, k: 10, filter: others).map(\.slot)
        #expect(Set(truth).intersection(filtered.neighbors.map(\.slot)).count >= 9)
    }

    @Test("an image of a duplicate-heavy index serves the same answers when mapped back")
    func imageRoundTrip() throws {
        let base = Self.shapes[0].data()
        let original = try Self.build(base)
        try original.delete(0)
        let copied = original.withImage { CopiedImage($0) }
        let served = try HNSWIndex(mapping: copied.image, owner: copied, tombstones: original.tombstoneWords)
        try served.checkInvariants()
        for q in 0..<20 {
            let query = Array(Self.queries.row(q))
            let a = try original.search(query, parameters: SearchParameters(k: 10, efSearch: 64))
            let b = try served.search(query, parameters: SearchParameters(k: 10, efSearch: 64))
            #expect(a.neighbors == b.neighbors)
        }
        #expect(try Self.recall(served, base: base) >= 0.95)
    }
}
