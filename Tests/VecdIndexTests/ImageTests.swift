import Testing
import VecdBench
import VecdIndex
import VecdKernels

/// Owns copies of an image's buffers, standing in for a memory mapping.
final class CopiedImage {
    let vectors: [UInt8], compact: [UInt8]?, ground: [UInt8], levels: [UInt8], upper: [UInt8]
    let template: HNSWImage

    init(_ image: HNSWImage) {
        vectors = Array(image.vectors)
        compact = image.compactVectors.map { Array($0) }
        ground = Array(image.groundLinks)
        levels = Array(image.levels)
        upper = Array(image.upperLinks)
        template = image
    }

    /// The image pointing into this object's copies (valid while it lives: arrays never move once built).
    var image: HNSWImage {
        var copy = template
        copy.vectors = vectors.withUnsafeBytes { $0 }
        copy.compactVectors = compact?.withUnsafeBytes { $0 }
        copy.groundLinks = ground.withUnsafeBytes { $0 }
        copy.levels = levels.withUnsafeBytes { $0 }
        copy.upperLinks = upper.withUnsafeBytes { $0 }
        return copy
    }
}

@Suite("Index images (the layout segments map)")
struct ImageTests {
    @Test("an index served from its image answers exactly like the original", arguments: VectorStorageMode.allCases)
    func roundTrip(mode: VectorStorageMode) throws {
        let data = TestData(rows: 2500, dimension: 24)
        let original = try data.buildIndex(storage: mode)
        try original.delete(17)
        let copied = original.withImage { CopiedImage($0) }
        let served = try HNSWIndex(mapping: copied.image, owner: copied, tombstones: original.tombstoneWords)
        #expect(served.count == original.count)
        #expect(served.liveCount == original.liveCount)
        try served.checkInvariants()
        for q in 0..<data.queries.rows {
            let a = try original.search(data.query(q), parameters: SearchParameters(k: 10, efSearch: 50))
            let b = try served.search(data.query(q), parameters: SearchParameters(k: 10, efSearch: 50))
            #expect(a.neighbors == b.neighbors)
        }
        #expect(throws: IndexError.readOnly) { try served.add(data.query(0)) }
        try served.delete(3)
        #expect(try served.search(Array(data.base.row(3)), parameters: SearchParameters(k: 1)).neighbors.first?.slot != 3)
    }

    @Test("an image whose sizes disagree is refused with a clear error")
    func inconsistentImage() throws {
        let data = TestData(rows: 300, dimension: 8)
        let original = try data.buildIndex(threads: 1)
        let copied = original.withImage { CopiedImage($0) }
        var broken = copied.image
        broken.rowCount += 1
        #expect(throws: IndexError.self) { _ = try HNSWIndex(mapping: broken, owner: copied) }
        var wrongEntry = copied.image
        wrongEntry.entryPoint = (slot: 9999, level: 0)
        #expect(throws: IndexError.self) { _ = try HNSWIndex(mapping: wrongEntry, owner: copied) }
    }

    @Test("damaged links in a served image degrade answers without crashing")
    func damagedLinks() throws {
        let data = TestData(rows: 500, dimension: 8)
        let original = try data.buildIndex(threads: 1)
        var ground = original.withImage { Array($0.groundLinks) }
        for i in stride(from: 4, to: ground.count, by: 4) where i % 36 != 0 { ground[i + 3] = 0xFF }  // huge slot numbers
        let copied = original.withImage { CopiedImage($0) }
        let damaged = CopiedGround(copied: copied, ground: ground)
        let served = try HNSWIndex(mapping: damaged.image, owner: damaged)
        let result = try served.search(data.query(0), parameters: SearchParameters(k: 5))
        #expect(result.neighbors.allSatisfy { Int($0.slot) < 500 })
    }
}

final class CopiedGround {
    let copied: CopiedImage
    let ground: [UInt8]
    init(copied: CopiedImage, ground: [UInt8]) {
        self.copied = copied
        self.ground = ground
    }
    var image: HNSWImage {
        var image = copied.image
        image.groundLinks = ground.withUnsafeBytes { $0 }
        return image
    }
}
