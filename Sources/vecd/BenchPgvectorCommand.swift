import ArgumentParser
import Foundation
import VecdPostgres
import VecdPgvectorBench

/// `vecd bench pgvector`: vecd against PostgreSQL + pgvector on the same data (ANN and churn protocols).
struct BenchPgvectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pgvector",
        abstract: "Load a data set into vecd and PostgreSQL + pgvector; compare recall@k, QPS and p99 at equal recall.",
        discussion: """
            Needs a PostgreSQL with the vector extension (scripts/postgres/start.sh prints a URL for a private one).
            ANN: pgvector gets binary COPY and CREATE INDEX … USING hnsw (vector_cosine_ops); vecd builds the same
            index in process (as `vecd bench ann`, same m, ef_construction and worker count). At each efSearch both
            run the queries one at a time on one thread, vecd then pgvector; the headline is QPS at recall 0.90 and
            0.95, interpolated on each curve. pgvector's round trip without a search is reported beside it.
            Churn (as `vecd bench churn`): build on half, insert the rest in batches of 1,000, delete 30%, recall
            at the efSearch where a fresh build reaches 0.90 — vecd flushed and compacted, pgvector after VACUUM
            and REINDEX. --engines pgvector measures pgvector alone. See docs/pgvector.md.
            """
    )

    @Option(help: "libpq URL, e.g. postgres:///vecd?host=/tmp/vecd-pg-54329/socket&port=54329&user=postgres")
    var url: String
    @Option(help: "Base vectors (.fvecs or .npy); row i gets id i.") var base: String
    @Option(help: "Query vectors (.fvecs or .npy).") var queries: String
    @Option(help: "Ground-truth neighbour ids (.ivecs or .npy).") var truth: String
    @Option(help: "Neighbours per query.") var k = 10
    @Option(help: "HNSW links per node.") var m = 16
    @Option(help: "Candidate list size while building.") var efConstruction = 64
    @Option(help: "Comma-separated efSearch values (pgvector allows 1…1000).") var efSearch = "10,20,40,64,100,200,400,800"
    @Option(help: "Build workers of each engine: vecd threads = pgvector processes (1 + max_parallel_maintenance_workers).")
    var threads = 1
    @Option(help: "Table to (re)create.") var table = "vecd_bench_items"
    @Option(name: .customLong("protocol"), help: "Which protocols: ann, churn or both.") var protocols = "both"
    @Option(help: "Which engines: both (vecd and pgvector) or pgvector.") var engines = "both"
    @Option(help: "Seed of the churn protocol's random deletions.") var seed: UInt64 = 42
    @Option(help: "Untimed queries before each timed pass.") var warmup = 200
    @Option(help: "Directory for vecd's scratch collections in the churn protocol (default: the temporary directory).")
    var scratch: String?
    @Option(help: "Write the report as JSON to this path.") var json: String?

    var efSearchValues: [Int] { efSearch.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        guard ["ann", "churn", "both"].contains(protocols) else { throw ValidationError("--protocol must be ann, churn or both") }
        guard !efSearchValues.isEmpty else { throw ValidationError("--ef-search needs at least one integer") }
        guard ["both", "pgvector"].contains(engines) else { throw ValidationError("--engines must be both or pgvector") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        var options = PgvectorBenchOptions(url: url, basePath: base, queriesPath: queries, truthPath: truth)
        options.k = k
        options.index = PgvectorIndexSettings(m: m, efConstruction: efConstruction, parallelWorkers: threads - 1)
        options.efSearchValues = efSearchValues
        options.table = table
        options.runANN = protocols != "churn"
        options.runChurn = protocols != "ann"
        options.seed = seed
        options.includeVecd = engines == "both"
        options.warmupQueries = warmup
        options.scratchDirectory = scratch
        options.jsonPath = json
        _ = try PgvectorBenchCommand.run(options) { line in
            print(line)
            fflush(nil)  // progress must show while a long build runs
        }
    }
}
