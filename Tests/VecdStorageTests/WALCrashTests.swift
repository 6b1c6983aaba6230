import Foundation
import Testing

@testable import VecdStorage
import VecdTestSupport

/// kill -9 durability: a child process appends from several threads and records each acknowledged sequence number
/// in a side file, and the process SIGKILLs itself mid-stream at a point that changes every round. After every round the parent checks that
/// every acknowledged record is in the log, whole, and that the log reopens and keeps numbering without gaps.
@Suite("WAL survives kill -9")
struct WALCrashTests {
    @Test("every acknowledged write survives SIGKILL at random points, over several rounds in one log")
    func killNine() async throws {
        let dir = TemporaryDirectory()
        let walPath = dir.file("wal")
        let ackPath = dir.file("acks")
        for round in 0..<4 {
            await #expect(processExitsWith: .signal(SIGKILL)) {
                [walPath = walPath as String, ackPath = ackPath as String, round = round as Int] in
                let wal = try! WALWriter(directory: walPath, policy: .groupCommit(milliseconds: 1))
                let acks = open(ackPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
                // The kill comes after a number of acknowledgements that changes every round, while the other
                // threads are somewhere inside their appends.
                let killAfter = 40 + (round * 7919) % 200
                let acknowledged = Locked(0)
                DispatchQueue.concurrentPerform(iterations: 3) { thread in
                    for i in 0..<100_000 {
                        let vector = [Float](repeating: Float(i), count: 64)
                        let entry = WALEntry.upsert(
                            collection: UInt32(thread), id: .number(UInt64(round << 32 | i)), vector: vector)
                        guard let sequence = try? wal.append(entry) else { continue }
                        let line = Array("\(sequence.rawValue) \(thread) \(round << 32 | i)\n".utf8)
                        _ = line.withUnsafeBytes { write(acks, $0.baseAddress, $0.count) }
                        acknowledged.update { count in
                            count += 1
                            if count == killAfter { kill(getpid(), SIGKILL) }
                        }
                    }
                }
            }
            var records: [SequenceNumber: WALEntry] = [:]
            let summary = try WALReader.replay(directory: walPath) { records[$0.sequence] = $0.entry }
            #expect(summary.recordCount == records.count)
            let acknowledged = try String(contentsOfFile: ackPath, encoding: .utf8).split(separator: "\n")
            #expect(!acknowledged.isEmpty)
            for line in acknowledged {
                let fields = line.split(separator: " ").compactMap { UInt64($0) }
                guard fields.count == 3 else { continue }  // the kill can cut the side file's last line
                let entry = records[SequenceNumber(fields[0])]
                #expect(
                    entry
                        == .upsert(
                            collection: UInt32(fields[1]), id: .number(fields[2]),
                            vector: [Float](repeating: Float(fields[2] & 0xFFFF_FFFF), count: 64)),
                    "sequence \(fields[0])")
            }
            // Reopening recovers (drops a torn tail) and continues right after the last whole record.
            let reopened = try WALWriter(directory: walPath, policy: .perWrite)
            #expect(reopened.nextSequenceNumber == summary.lastSequence.next)
            try reopened.close()
        }
    }
}
