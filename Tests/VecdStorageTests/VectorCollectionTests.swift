import Foundation
import Testing
import VecdIndex

@testable import VecdStorage
import VecdTestSupport

/// A collection on real files: WAL, mutable index, segments, manifest, reopen.
@Suite("Vector collections")
struct VectorCollectionTests {
    typealias F = CollectionFixture

    @Test("written, closed and reopened, a collection answers bit for bit as before (WAL replay only)")
    func roundTripThroughWAL() throws {
        let dir = TemporaryDirectory()
        let queries = F.queries(20)
        let before: [[CollectionHit]]
        do {
            let collection = try VectorCollection(path: dir.path, configuration: F.configuration())
            try collection.write((0..<600).map { .upsert(id: UInt64($0), vector: F.vector(id: UInt64($0))) })
            for id in stride(from: 0, to: 600, by: 9) { try collection.delete(id: UInt64(id)) }
            try collection.upsert(id: 5, vector: F.vector(id: 5, version: 1))
            before = try F.answers(collection, queries)
            #expect(collection.stats().liveCount == 600 - 67)
            try collection.close()
        }
        let reopened = try VectorCollection(path: dir.path, configuration: F.configuration())
        #expect(try F.answers(reopened, queries) == before)
        #expect(reopened.stats().liveCount == 600 - 67)
        #expect(try reopened.vector(id: 5) == F.vector(id: 5, version: 1))
        #expect(try reopened.vector(id: 9) == nil)
    }

    @Test("flushes write segments; after reopen the segments and the WAL tail answer exactly as before")
    func flushAndReopen() throws {
        let dir = TemporaryDirectory()
        let queries = F.queries(20)
        var model: [UInt64: [Float]] = [:]
        let before: [[CollectionHit]]
        do {
            let collection = try VectorCollection(path: dir.path, configuration: F.configuration(flushRowCount: 250))
            for batch in 0..<4 {
                let ids = (batch * 250..<(batch + 1) * 250).map(UInt64.init)
                try collection.write(ids.map { .upsert(id: $0, vector: F.vector(id: $0)) })
                for id in ids { model[id] = F.vector(id: id) }
            }
            #expect(collection.stats().segmentCount == 4)
            // Replace and delete rows that live in segments; these stay in the WAL (and bitmaps after a flush).
            for id in stride(from: 3, to: 1000, by: 10).map(UInt64.init) {
                try collection.upsert(id: id, vector: F.vector(id: id, version: 2))
                model[id] = F.vector(id: id, version: 2)
            }
            for id in stride(from: 7, to: 1000, by: 10).map(UInt64.init) {
                try collection.delete(id: id)
                model[id] = nil
            }
            before = try F.answers(collection, queries)
            #expect(try F.recall(collection, model: model, queries: queries) >= 0.9)
            try collection.close()
        }
        let reopened = try VectorCollection(path: dir.path, configuration: F.configuration(flushRowCount: 250))
        #expect(try F.answers(reopened, queries) == before)
        let stats = reopened.stats()
        #expect(stats.liveCount == model.count)
        #expect(stats.segmentCount == 4 && stats.mutableRowCount == 100)
        // A flush makes the WAL tail a segment plus bitmaps; a second reopen replays nothing and still agrees.
        try reopened.flush()
        #expect(reopened.stats().segmentDeletedCount == 200)
        // Every covered WAL record is gone, so the next open reads no log.
        #expect(try WALReader.verify(directory: DataDirectory(path: dir.path).walDirectory).recordCount == 0)
        try reopened.close()
        let again = try VectorCollection(path: dir.path, configuration: F.configuration(flushRowCount: 250))
        #expect(again.stats().appliedSequence == again.stats().coveredSequence)
        #expect(again.stats().mutableRowCount == 0 && again.stats().liveCount == model.count)
        #expect(try F.answers(again, queries) == before)
        for (id, vector) in model { #expect(try again.vector(id: id) == vector) }
        try again.verify()
    }

    @Test("compaction keeps every live row, drops deleted and replaced ones, and survives reopen")
    func compaction() throws {
        let dir = TemporaryDirectory()
        let queries = F.queries(20)
        var model: [UInt64: [Float]] = [:]
        let collection = try VectorCollection(path: dir.path, configuration: F.configuration(flushRowCount: 300))
        for id in (0..<900).map(UInt64.init) {
            model[id] = F.vector(id: id)
        }
        for start in stride(from: 0, to: 900, by: 300) {
            try collection.write(
                (start..<start + 300).map { .upsert(id: UInt64($0), vector: F.vector(id: UInt64($0))) })
        }
        for id in stride(from: 0, to: 900, by: 4).map(UInt64.init) {
            try collection.delete(id: id)
            model[id] = nil
        }
        try collection.upsert(id: 1, vector: F.vector(id: 1, version: 3))
        model[1] = F.vector(id: 1, version: 3)
        try collection.flush()
        let report = try #require(try collection.compact())
        #expect(report.mergedSegmentCount == 4)
        #expect(report.keptRowCount == model.count)
        #expect(report.droppedRowCount == 901 - model.count)
        let stats = collection.stats()
        #expect(stats.segmentCount == 1 && stats.segmentDeletedCount == 0 && stats.segmentRowCount == model.count)
        #expect(Set(collection.ids) == Set(model.keys))
        for (id, vector) in model { #expect(try collection.vector(id: id) == vector) }
        #expect(try F.recall(collection, model: model, queries: queries) >= 0.9)
        let after = try F.answers(collection, queries)
        for hits in after { #expect(hits.allSatisfy { model[$0.id] != nil }) }
        try collection.close()
        // Only the merged segment's file is left besides the manifest, LOCK and the WAL.
        let files = try FileSystem.listDirectory(dir.path).filter { $0.hasSuffix(".vseg") || $0.hasSuffix(".del") }
        #expect(files.count == 1)
        let reopened = try VectorCollection(path: dir.path, configuration: F.configuration(flushRowCount: 300))
        #expect(try F.answers(reopened, queries) == after)
        try reopened.verify()
    }

    @Test("compaction runs online: writes and searches during it are kept, deletes during it are re-applied")
    func onlineCompaction() throws {
        let dir = TemporaryDirectory()
        let collection = try VectorCollection(path: dir.path, configuration: F.configuration(flushRowCount: 400))
        for start in stride(from: 0, to: 1600, by: 400) {
            try collection.write(
                (start..<start + 400).map { .upsert(id: UInt64($0), vector: F.vector(id: UInt64($0))) })
        }
        #expect(collection.stats().segmentCount == 4)
        let model = Locked<[UInt64: [Float]]>(
            Dictionary(uniqueKeysWithValues: (0..<1600).map { (UInt64($0), F.vector(id: UInt64($0))) }))
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            do {
                switch worker {
                case 0:
                    _ = try collection.compact()
                case 1:
                    // Deletes and replacements of rows inside the segments being merged, plus new rows.
                    for step in 0..<300 {
                        let id = UInt64(step * 5 % 1600)
                        if step % 2 == 0 {
                            try collection.delete(id: id)
                            model.update { $0[id] = nil }
                        } else {
                            try collection.upsert(id: id, vector: F.vector(id: id, version: 7))
                            model.update { $0[id] = F.vector(id: id, version: 7) }
                        }
                        let fresh = UInt64(5000 + step)
                        try collection.upsert(id: fresh, vector: F.vector(id: fresh))
                        model.update { $0[fresh] = F.vector(id: fresh) }
                    }
                default:
                    for query in F.queries(200, seed: 5) {
                        let hits = try collection.search(query, k: 10)
                        if hits.count != 10 { failures.update { $0.append("a search returned \(hits.count) hits") } }
                    }
                }
            } catch {
                failures.update { $0.append("worker \(worker): \(error)") }
            }
        }
        #expect(failures.value.isEmpty, "\(failures.value)")
        let expected = model.value
        #expect(Set(collection.ids) == Set(expected.keys))
        for (id, vector) in expected { #expect(try collection.vector(id: id) == vector, "id \(id)") }
        try collection.close()
        let reopened = try VectorCollection(path: dir.path, configuration: F.configuration(flushRowCount: 400))
        #expect(Set(reopened.ids) == Set(expected.keys))
        for (id, vector) in expected { #expect(try reopened.vector(id: id) == vector, "id \(id) after reopen") }
        #expect(try F.recall(reopened, model: expected, queries: F.queries(10)) >= 0.9)
    }

    @Test("search with allowed ids returns only those ids, across segments and the mutable part")
    func allowedIDs() throws {
        let dir = TemporaryDirectory()
        let collection = try VectorCollection(path: dir.path, configuration: F.configuration(flushRowCount: 200))
        try collection.write((0..<500).map { .upsert(id: UInt64($0), vector: F.vector(id: UInt64($0))) })
        let allowed: Set<UInt64> = [3, 150, 250, 499, 77_777]
        let hits = try collection.search(F.queries(1)[0], k: 10, allowedIDs: allowed)
        #expect(Set(hits.map(\.id)) == [3, 150, 250, 499])
        #expect(try collection.search(F.queries(1)[0], k: 10, allowedIDs: []).isEmpty)
    }
}
