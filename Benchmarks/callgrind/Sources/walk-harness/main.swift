import Glibc
import VecdIndex

func readFvecs(_ path: String, limit: Int) -> (rows: Int, dimension: Int, values: [Float]) {
    let file = fopen(path, "rb")!
    defer { fclose(file) }
    var values: [Float] = []
    var dimension: Int32 = 0
    var rows = 0
    while rows < limit, fread(&dimension, 4, 1, file) == 1 {
        var row = [Float](repeating: 0, count: Int(dimension))
        _ = row.withUnsafeMutableBufferPointer { fread($0.baseAddress, 4, Int(dimension), file) }
        values += row
        rows += 1
    }
    return (rows, Int(dimension), values)
}

@inline(never)
func runQueries(_ index: HNSWIndex, _ queries: [Float], rows: Int, dimension: Int, ef: Int) throws -> Int {
    var found = 0
    var results: [Neighbor] = []
    results.reserveCapacity(10)
    for q in 0..<rows {
        try queries[(q * dimension)..<((q + 1) * dimension)].withContiguousStorageIfAvailable { buffer in
            let report = try index.search(buffer, parameters: SearchParameters(k: 10, efSearch: ef), filter: AcceptAll(),
                                          into: &results)
            found += results.count + report.distanceCount
        }
    }
    return found
}

let arguments = CommandLine.arguments
let base = readFvecs(arguments[1], limit: Int(arguments[3])!)
let queries = readFvecs(arguments[2], limit: Int(arguments[4])!)
let ef = Int(arguments[5])!
let index = try HNSWIndex(parameters: HNSWParameters(dimension: base.dimension))
try base.values.withUnsafeBufferPointer { _ = try index.add($0, threads: 1) }
_ = try runQueries(index, queries.values, rows: min(50, queries.rows), dimension: queries.dimension, ef: ef)
let checksum = try runQueries(index, queries.values, rows: queries.rows, dimension: queries.dimension, ef: ef)
print("rows \(base.rows) queries \(queries.rows) ef \(ef) checksum \(checksum)")
