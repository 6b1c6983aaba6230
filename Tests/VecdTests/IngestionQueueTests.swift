import Foundation
import Synchronization
import Testing
import Vecd
import VecdEmbed

/// Embeds like ``WordHashEmbedder``, but after its first `open` calls each call waits until the test releases it:
/// a job is then held in the middle of a group for as long as the test needs, however fast the machine.
final class GatedEmbedder: Embedder {
    let dimension = 64
    let modelID = WordHashEmbedder().modelID
    let open: Int
    private let calls = Atomic<Int>(0)
    private let released = Atomic<Bool>(false)

    init(open: Int) { self.open = open }

    var callCount: Int { calls.load(ordering: .sequentiallyConsistent) }

    func release() { released.store(true, ordering: .sequentiallyConsistent) }

    func embed(_ texts: [String]) async throws -> [[Float]] {
        if calls.add(1, ordering: .sequentiallyConsistent).newValue > open {
            while !released.load(ordering: .sequentiallyConsistent) { try await Task.sleep(for: .milliseconds(1)) }
        }
        return texts.map(WordHashEmbedder().vector)
    }
}

/// Queued ingestion survives a stop: the documents are committed with the job, a stop leaves the rest queued and
/// says so, and a reopened store takes the job up where it stopped, storing each document exactly once.
@Suite("Durable ingestion queue")
struct IngestionQueueTests {
    static func open(_ directory: URL, embedder: any Embedder = WordHashEmbedder()) throws -> VecdStore {
        let store = try VecdStore(directory: directory, embedder: embedder)
        try store.createCollection(CollectionInfo(name: "kb", dimension: 64, modelID: WordHashEmbedder().modelID))
        return store
    }

    static func waitUntilFinished(_ store: VecdStore, _ id: String) async throws -> IngestionJob {
        for _ in 0..<6_000 {
            let job = try store.ingestionJob(id: id)
            if job.status != .queued && job.status != .processing { return job }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try store.ingestionJob(id: id)
    }

    @Test("stopped mid-job: queued and marked as interrupted by a shutdown; reopened: finished, each document once")
    func stopThenResume() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-queue-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let documents = (0..<3_000).map { DocumentInput(title: "d\($0)", content: "word\($0) shared text \($0 % 7)") }
        let ticket: IngestionTicket
        do {
            // 300 documents embed freely (one group of 256 is stored); the 301st waits inside the second group.
            let embedder = GatedEmbedder(open: 300)
            let store = try Self.open(directory, embedder: embedder)
            ticket = try store.submitIngestion(documents, into: "kb")
            #expect(Set(ticket.documentIDs).count == documents.count)
            var polls = 0
            while embedder.callCount <= 300, polls < 60_000 {
                try await Task.sleep(for: .milliseconds(1))
                polls += 1
            }
            async let stopping = store.stopIngestion(within: .seconds(30))
            // The stop is asked for while the worker waits; once released, it stores what it prepared and stops.
            try await Task.sleep(for: .milliseconds(50))
            embedder.release()
            let stop = await stopping
            #expect(stop.drained == [ticket.job.id] && stop.cut.isEmpty)
            let result = try await ticket.completion.value
            let job = try store.ingestionJob(id: ticket.job.id)
            #expect(result.job == job)
            // The stop landed mid-job: the first group and the prepared part of the second are stored.
            #expect(job.processedDocuments > 256 && job.queuedDocuments > 0, "\(job)")
            #expect(job.status == .queued && job.lastInterruption == .shutdown && job.interruptions == 1)
            // A job submitted after the stop is queued, not run.
            let late = try store.submitIngestion([DocumentInput(title: "late", content: "late words")], into: "kb")
            #expect(try await late.completion.value.job.status == .queued)
        }
        let store = try Self.open(directory)
        let resumed = try store.resumeIngestion()
        try #require(resumed.count == 2 && resumed.first == ticket.job.id)
        let job = try await Self.waitUntilFinished(store, ticket.job.id)
        #expect(job.status == .completed && job.processedDocuments == documents.count && job.errors.isEmpty, "\(job)")
        #expect(job.interruptions == 1 && job.lastInterruption == .shutdown)
        #expect(try await Self.waitUntilFinished(store, resumed[1]).status == .completed)
        let stored = try store.documents(in: "kb", limit: 10_000)
        #expect(stored.count == documents.count + 1)
        let ofJob = stored.filter { $0.jobID == ticket.job.id }.map(\.id)
        #expect(ofJob.count == documents.count && Set(ofJob) == Set(ticket.documentIDs))
        #expect(try store.vectorCount(collection: "kb") == documents.count + 1)
        #expect(try store.verify().isConsistent)
    }

    @Test("resuming a store whose jobs all finished takes none of them up again")
    func finishedJobsStayFinished() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-queue-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Self.open(directory)
        let ticket = try store.submitIngestion(
            (0..<50).map { DocumentInput(content: "text \($0)") }, into: "kb")
        _ = try await ticket.completion.value
        // A second store cannot open the directory while the first holds it, so the crash case is covered against
        // the real binary (IngestionDurabilityTests); here: resuming twice never takes a finished job up again.
        #expect(try store.resumeIngestion().isEmpty)
        #expect(try store.ingestionJob(id: ticket.job.id).interruptions == 0)
    }

    @Test("a failed document is named in the job's errors with the id it was accepted under and its position")
    func failureNamesTheDocument() async throws {
        let store = try VecdStore.temporary(embedder: WordHashEmbedder())
        try store.createCollection(CollectionInfo(name: "kb", dimension: 64, modelID: WordHashEmbedder().modelID))
        var documents = (0..<5).map { DocumentInput(title: "d\($0)", content: "words \($0)") }
        documents[3].content = "   "
        let result = try await store.ingest(documents, into: "kb")
        #expect(result.job.status == .partial)
        let failure = try #require(result.job.errors.first)
        #expect(failure.documentID != nil && failure.position == 3 && failure.document == "d3")
        #expect(result.documentIDs[3] == nil && result.documentIDs.compactMap { $0 }.count == 4)
    }
}
