// Embeds a text corpus and its queries with vecd's offline embedder, searches exactly (cosine), and prints one JSON
// object: recall@10 against a ground-truth .ivecs file, and single-thread embedding throughput.
//
//   EmbedderEvaluation --base base.txt --queries queries.txt --truth gt.ivecs [--dimension 384]
//                      [--recipe word,pair,characterGrams,rarityExponent,leadBoost,leadWords,termFrequencyScale]
import Foundation
import EmbedUnderTest
import VecdKernels

struct Options {
    var base = ""
    var queries = ""
    var truth = ""
    var dimension = HashingEmbedder.defaultDimension
    var recipe = HashingEmbedder.Recipe.v1

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { fail("\(flag) needs a value") }
            switch flag {
            case "--base": base = value
            case "--queries": queries = value
            case "--truth": truth = value
            case "--dimension": dimension = Int(value) ?? 0
            case "--recipe":
                let parts = value.split(separator: ",").compactMap { Float($0) }
                guard parts.count == 7 else { fail("--recipe takes seven numbers") }
                recipe = .init(
                    word: parts[0], pair: parts[1], characterGrams: parts[2], rarityExponent: parts[3],
                    leadBoost: parts[4], leadWords: parts[5], termFrequencyScale: parts[6])
            default: fail("unknown option \(flag)")
            }
        }
        if base.isEmpty || queries.isEmpty || truth.isEmpty { fail("--base, --queries and --truth are required") }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("EmbedderEvaluation: \(message)\n".utf8))
    exit(2)
}

func lines(_ path: String) -> [String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read \(path)") }
    var lines = text.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return lines
}

/// The first `k` ids of each ground-truth row (`Int32 k` then `k` × `Int32`, little-endian).
func truthRows(_ path: String, k: Int) -> [[Int]] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return data.withUnsafeBytes { raw in
        var rows: [[Int]] = []
        var offset = 0
        while offset + 4 <= raw.count {
            let width = Int(raw.loadUnaligned(fromByteOffset: offset, as: Int32.self).littleEndian)
            let row = (0..<min(k, width)).map {
                Int(raw.loadUnaligned(fromByteOffset: offset + 4 + 4 * $0, as: Int32.self).littleEndian)
            }
            rows.append(row)
            offset += 4 + 4 * width
        }
        return rows
    }
}

func embedAll(_ embedder: HashingEmbedder, _ texts: [String]) -> (vectors: [Float], seconds: Double) {
    var flat: [Float] = []
    flat.reserveCapacity(texts.count * embedder.dimension)
    let start = ContinuousClock.now
    for text in texts {
        // Blank lines (a few descriptions are empty after cleaning) get a zero vector: they match nothing.
        let vector = (try? embedder.embedNow([text]))?.first ?? [Float](repeating: 0, count: embedder.dimension)
        flat.append(contentsOf: vector)
    }
    let elapsed = ContinuousClock.now - start
    return (flat, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}

/// Ids of the `k` base vectors with the largest dot product (ties to the smaller id, as the ground truth).
func topK(_ query: UnsafePointer<Float>, base: UnsafePointer<Float>, count: Int, dimension: Int, k: Int) -> [Int] {
    var best: [(score: Float, id: Int)] = []
    for id in 0..<count {
        let score = dotProduct(query, base + id * dimension, count: dimension)
        if best.count < k || score > best[best.count - 1].score {
            let position = best.firstIndex { score > $0.score } ?? best.count
            best.insert((score, id), at: position)
            if best.count > k { best.removeLast() }
        }
    }
    return best.map(\.id)
}

let options = Options(CommandLine.arguments)
let embedder: HashingEmbedder
do { embedder = try HashingEmbedder(dimension: options.dimension, recipe: options.recipe) } catch { fail("\(error)") }
let baseTexts = lines(options.base)
let queryTexts = lines(options.queries)
let truth = truthRows(options.truth, k: 10)
guard truth.count >= queryTexts.count else { fail("ground truth has \(truth.count) rows for \(queryTexts.count) queries") }

let (baseVectors, baseSeconds) = embedAll(embedder, baseTexts)
let (queryVectors, querySeconds) = embedAll(embedder, queryTexts)
// Per-query hits, so the report can give the tuning half (queries 0–499) and the held-out half apart.
var hitsPerQuery = [Int](repeating: 0, count: queryTexts.count)
baseVectors.withUnsafeBufferPointer { base in
    queryVectors.withUnsafeBufferPointer { queries in
        for q in 0..<queryTexts.count {
            let found = topK(
                queries.baseAddress! + q * embedder.dimension, base: base.baseAddress!, count: baseTexts.count,
                dimension: embedder.dimension, k: 10)
            hitsPerQuery[q] = Set(found).intersection(truth[q]).count
        }
    }
}
let recall = { [hitsPerQuery] (queries: Range<Int>) -> Double in
    let range = queries.clamped(to: 0..<hitsPerQuery.count)
    return Double(hitsPerQuery[range].reduce(0, +)) / Double(10 * max(1, range.count))
}
let half = queryTexts.count / 2
let baseBytes = baseTexts.reduce(0) { $0 + $1.utf8.count }
let report: [String: Any] = [
    "model": embedder.modelID,
    "dimension": embedder.dimension,
    "base_texts": baseTexts.count,
    "queries": queryTexts.count,
    "recall_at_10": recall(0..<queryTexts.count),
    "recall_at_10_tuning_half": recall(0..<half),
    "recall_at_10_held_out_half": recall(half..<queryTexts.count),
    "base_texts_per_second": Double(baseTexts.count) / baseSeconds,
    "base_megabytes_per_second": Double(baseBytes) / baseSeconds / 1e6,
    "query_texts_per_second": Double(queryTexts.count) / querySeconds,
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
