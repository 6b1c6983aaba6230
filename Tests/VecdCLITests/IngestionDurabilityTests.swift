import Foundation
import Testing
import Vecd

#if canImport(Glibc)
import Glibc
#endif

/// A 202 from `POST /v1/collections/{name}/documents` is a promise: `vecd serve` killed with SIGKILL or stopped with
/// SIGTERM in the middle of large asynchronous jobs loses no accepted document and stores none twice; every job
/// ends, and each acknowledged document is stored exactly once or named in its job's errors.
@Suite("vecd serve durable ingestion", .serialized)
struct IngestionDurabilityTests {
    static let collection = "kb"
    /// Documents per job (the server's batch limit is raised to take them in one request).
    static let jobSize = 1_500

    /// One accepted job: its id and the ids its 202 named.
    struct Accepted {
        var job: String
        var documentIDs: [String]
    }

    /// `jobSize` distinct documents of one chunk each: a job is stored in six groups of 256.
    static func documents(round: Int) -> [[String: Any]] {
        var sentences = ServeCrashTests.Sentences(state: UInt64(round + 1) &* 7_919)
        return (0..<jobSize).map { index in
            let text = (0..<2).map { _ in sentences.next() }.joined(separator: ". ")
            return ["title": "round \(round) document \(index)", "content": "r\(round)d\(index): \(text)"]
        }
    }

    static func start(_ directory: URL) throws -> VecdServeChild {
        // A small offline embedder keeps the index inserts of a debug build quick.
        try VecdServeChild.start(
            ["--data", directory.path, "--port", "0"],
            environment: [
                "VECD_MAX_BATCH": "\(jobSize)", "VECD_EMBEDDER": #"{"provider":"hashing","dimension":64}"#,
            ])
    }

    static func submit(_ child: VecdServeChild, round: Int) async throws -> Accepted {
        let reply = try await child.request(
            "POST", "/v1/collections/\(collection)/documents",
            json: ["documents": documents(round: round)])
        #expect(reply.status == 202, "\(String(decoding: reply.body, as: UTF8.self))")
        let object = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
        let job = try #require((object["job"] as? [String: Any])?["id"] as? String)
        let ids = try #require(object["document_ids"] as? [String])
        #expect(ids.count == jobSize)
        return Accepted(job: job, documentIDs: ids)
    }

    static func job(_ child: VecdServeChild, _ id: String) async throws -> [String: Any] {
        let reply = try await child.request("GET", "/v1/jobs/\(id)")
        #expect(reply.status == 200)
        return try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
    }

    /// Polls the job until it has stored at least `target` documents; returns the count seen (bounded: 60 s).
    static func waitForProgress(_ child: VecdServeChild, _ id: String, atLeast target: Int) async throws -> Int {
        for _ in 0..<30_000 {
            let processed = try await job(child, id)["processed_documents"] as? Int ?? 0
            if processed >= target { return processed }
            try await Task.sleep(for: .milliseconds(2))
        }
        return -1
    }

    /// Waits until no job of `accepted` is queued or processing (bounded: 5 minutes).
    static func waitForAll(_ child: VecdServeChild, _ accepted: [Accepted]) async throws -> [String: [String: Any]] {
        var jobs: [String: [String: Any]] = [:]
        for _ in 0..<3_000 {
            for entry in accepted { jobs[entry.job] = try await job(child, entry.job) }
            if jobs.values.allSatisfy({ !["queued", "processing"].contains($0["status"] as? String ?? "") }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return jobs
    }

    /// Every id of every document in the collection, paged (a document listed twice would show here twice).
    static func storedDocumentIDs(_ child: VecdServeChild) async throws -> [String] {
        var ids: [String] = []
        while true {
            let page = try await child.request(
                "GET", "/v1/collections/\(collection)/documents?limit=1000&offset=\(ids.count)")
            let object = try JSONSerialization.jsonObject(with: page.body) as? [String: Any]
            let documents = object?["documents"] as? [[String: Any]] ?? []
            ids += documents.compactMap { $0["id"] as? String }
            if documents.count < 1_000 { return ids }
        }
    }

    /// The final check: each acknowledged document stored exactly once or named in its job's errors, nothing
    /// stored that was not acknowledged, every chunk once (the collection's vectors equal the jobs' chunks), and
    /// the store verifies.
    static func checkExactlyOnce(_ child: VecdServeChild, _ accepted: [Accepted]) async throws {
        let jobs = try await waitForAll(child, accepted)
        let stored = try await storedDocumentIDs(child)
        let storedSet = Set(stored)
        #expect(stored.count == storedSet.count, "a document is listed twice")
        var acknowledged = Set<String>()
        var chunks = 0
        for entry in accepted {
            let job = try #require(jobs[entry.job])
            #expect(job["status"] as? String == "completed", "job \(entry.job): \(job)")
            let failed = Set(
                (job["errors"] as? [[String: Any]] ?? []).compactMap { $0["document_id"] as? String })
            for id in entry.documentIDs {
                acknowledged.insert(id)
                #expect(storedSet.contains(id) != failed.contains(id), "document \(id) of job \(entry.job)")
            }
            #expect(job["processed_documents"] as? Int == entry.documentIDs.count - failed.count)
            chunks += job["chunk_count"] as? Int ?? 0
        }
        #expect(storedSet.subtracting(acknowledged).isEmpty, "stored documents nobody was promised")
        #expect(storedSet.count == acknowledged.count)
        let stats = try await child.request("GET", "/v1/admin/stats")
        let index = (try JSONSerialization.jsonObject(with: stats.body) as? [String: Any])?["index"] as? [String: Any]
        let collections = index?["collections"] as? [[String: Any]] ?? []
        let kb = collections.first { $0["name"] as? String == collection }
        #expect(kb?["stored_vectors"] as? Int == chunks, "chunks stored vs the jobs' chunk counts")
        let verify = try await child.request("GET", "/v1/admin/verify")
        let report = try JSONSerialization.jsonObject(with: verify.body) as? [String: Any]
        #expect(report?["consistent"] as? Bool == true, "\(String(decoding: verify.body, as: UTF8.self))")
    }

    @Test("kill -9 at random moments during large async jobs: every acknowledged document stored exactly once")
    func killNineDuringJobs() async throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var random = ServeCrashTests.Sentences(state: 2_026)
        var accepted: [Accepted] = []
        var killedMidJob: [String] = []
        let rounds = 8
        // A kill that a busy machine lets land after the job's last group does not count: the round is run again
        // (at most four extra rounds), and each counted kill is proven mid-job.
        var round = 0
        while killedMidJob.count < rounds, round < rounds + 4 {
            defer { round += 1 }
            let child = try Self.start(directory)
            if round == 0 {
                let created = try await child.request("POST", "/v1/collections", json: ["name": Self.collection])
                #expect(created.status == 201)
            }
            let entry = try await Self.submit(child, round: round)
            accepted.append(entry)
            // A random point inside the job: at least one group stored, the job not finished (groups hold 256).
            random.state = random.state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let target = 1 + Int((random.state >> 33) % UInt64(Self.jobSize - 500))
            let seen = try await Self.waitForProgress(child, entry.job, atLeast: target)
            child.signal(SIGKILL)
            #expect(child.waitForExit() == SIGKILL)
            // The kill landed mid-job when the job had stored some documents and not all of them.
            #expect(seen > 0, "round \(round): no progress seen")
            if seen > 0 && seen < Self.jobSize { killedMidJob.append(entry.job) }
        }
        #expect(killedMidJob.count == rounds, "only \(killedMidJob.count) of \(round) kills landed mid-job")
        let child = try Self.start(directory)
        try await Self.checkExactlyOnce(child, accepted)
        // Each job killed mid-way says so: it was taken up again after a crash.
        for id in killedMidJob {
            let job = try await Self.job(child, id)
            #expect((job["interruptions"] as? Int ?? 0) >= 1, "job \(id): \(job)")
            #expect(job["last_interruption"] as? String == "crash", "job \(id): \(job)")
        }
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
    }

    @Test("SIGTERM during large async jobs drains the running group, leaves the rest queued, and the next start finishes it")
    func sigtermLeavesTheRestQueued() async throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var accepted: [Accepted] = []
        for round in 0..<3 {
            let child = try Self.start(directory)
            if round == 0 {
                let created = try await child.request("POST", "/v1/collections", json: ["name": Self.collection])
                #expect(created.status == 201)
            }
            let entry = try await Self.submit(child, round: round)
            accepted.append(entry)
            let seen = try await Self.waitForProgress(child, entry.job, atLeast: 100 + 300 * round)
            child.signal(SIGTERM)
            #expect(child.waitForExit() == 0, "\(child.log)")
            #expect(seen > 0 && seen < Self.jobSize, "round \(round): \(seen) of \(Self.jobSize) stored at SIGTERM")
            // Between runs, the store as the stopped server left it: the job queued, interrupted by the shutdown,
            // with documents still waiting; nothing says processing.
            let store = try VecdStore(directory: directory)
            let job = try store.ingestionJob(id: entry.job)
            #expect(job.status == .queued, "round \(round), \(seen) seen at SIGTERM: \(job); log: \(child.log)")
            #expect(job.lastInterruption == .shutdown && job.interruptions >= 1)
            #expect(job.processedDocuments >= seen && job.queuedDocuments > 0, "round \(round): \(job)")
            for earlier in accepted.dropLast() {
                let status = try store.ingestionJob(id: earlier.job).status
                #expect(status != .processing, "job \(earlier.job) left processing without a worker")
            }
        }
        let child = try Self.start(directory)
        try await Self.checkExactlyOnce(child, accepted)
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
    }
}
