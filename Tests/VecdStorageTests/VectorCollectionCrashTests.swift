import Foundation
import Testing

@testable import VecdStorage
import VecdTestSupport

/// kill -9 durability of a whole collection: a child process writes batches (upserts and deletes) through the WAL,
/// flushes segments and compacts them, and records each acknowledged batch in a side file; a timer SIGKILLs it at a
/// point that changes every round, wherever it is (appending, inserting, writing a segment, committing a manifest,
/// compacting). After every round the parent reopens the collection and checks it against the acknowledgements.
@Suite("Collections survive kill -9")
struct VectorCollectionCrashTests {
    typealias F = CollectionFixture

    @Test("every acknowledged write survives SIGKILL at random points; nothing half-made appears; search works")
    func killNine() async throws {
        let data = TemporaryDirectory()
        let side = TemporaryDirectory()
        let ackPath = side.file("acks")
        var totalAcknowledged = 0
        for round in 0..<6 {
            await #expect(processExitsWith: .signal(SIGKILL)) {
                [path = data.path as String, ackPath = ackPath as String, round = round as Int] in
                let collection = try! VectorCollection(
                    path: path,
                    configuration: CollectionFixture.configuration(
                        flushRowCount: 200, sync: .groupCommit(milliseconds: 1)))
                let acks = open(ackPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
                // The kill lands 30-570 ms into the writing, a different moment every round.
                let delay = UInt32(30_000 + (round * 7919 % 10) * 60_000)
                Thread.detachNewThread {
                    usleep(delay)
                    kill(getpid(), SIGKILL)
                }
                for batch in 0..<1_000_000 {
                    let base = UInt64(round) << 32 | UInt64(batch * 40)
                    var writes: [CollectionWrite] = (0..<40).map {
                        .upsert(id: base + $0, vector: CollectionFixture.vector(id: base + $0))
                    }
                    if batch > 0 { writes.append(.delete(id: base - 40 + 7)) }  // a row of the batch before
                    try! collection.write(writes)
                    var line = "U \(base) 40\n"
                    if batch > 0 { line += "D \(base - 40 + 7)\n" }
                    _ = Array(line.utf8).withUnsafeBytes { write(acks, $0.baseAddress, $0.count) }
                    if batch % 4 == 3 { _ = try! collection.compact() }
                }
            }
            // Reopen (recovery) and compare with what was acknowledged.
            var live = Set<UInt64>()
            var deleted = Set<UInt64>()
            let text = (try? String(contentsOfFile: ackPath, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard fields.count >= 2, let id = UInt64(fields[1]) else { continue }  // the kill can cut a line
                if fields[0] == "U", fields.count == 3, let count = UInt64(fields[2]) {
                    for i in 0..<count { live.insert(id + i) }
                } else if fields[0] == "D" {
                    deleted.insert(id)
                }
            }
            // The batch after the last acknowledged one may have been applied, unacknowledged, with its delete.
            var lastBase: [UInt64: UInt64] = [:]
            for id in live {
                lastBase[id >> 32] = max(lastBase[id >> 32] ?? 0, (id >> 32) << 32 | (id & 0xFFFF_FFFF) / 40 * 40)
            }
            let maybeDeleted = Set(lastBase.values.map { $0 + 7 })
            live.subtract(deleted)
            live.subtract(maybeDeleted)
            totalAcknowledged += live.count
            let collection = try VectorCollection(path: data.path, configuration: F.configuration(flushRowCount: 200))
            let present = Set(collection.ids)
            #expect(
                live.isSubset(of: present),
                "round \(round): acknowledged ids lost: \(live.subtracting(present).sorted())")
            #expect(present.isDisjoint(with: deleted), "round \(round): deleted ids came back")
            // Unacknowledged writes may or may not be there, but whatever is there is whole.
            for id in present { #expect(try collection.vector(id: id) == F.vector(id: id), "id \(id)") }
            for id in live.sorted().enumerated().filter({ $0.offset % 37 == 0 }).map(\.element) {
                let hit = try collection.search(F.vector(id: id), k: 1, efSearch: 64).first
                #expect(hit?.id == id, "id \(id) is not found: \(String(describing: hit))")
            }
            try collection.verify()
            try collection.close()
        }
        #expect(totalAcknowledged > 0)
    }
}
