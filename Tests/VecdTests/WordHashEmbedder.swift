import Foundation
import Vecd
import VecdEmbed

/// A small deterministic embedder for tests: each lower-cased word adds ±1 at two hashed positions, and the sum is
/// normalized. Texts sharing words are close; texts sharing none are near-orthogonal.
struct WordHashEmbedder: Embedder {
    var dimension = 64
    var modelID = "test-word-hash"

    init(dimension: Int = 64) { self.dimension = dimension }

    func embed(_ texts: [String]) async throws -> [[Float]] {
        texts.map(vector)
    }

    func vector(_ text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: dimension)
        let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }
        for word in words {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            vector[Int(hash % UInt64(dimension))] += 1
            vector[Int((hash >> 32) % UInt64(dimension))] += (hash >> 63) == 0 ? 0.5 : -0.5
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}

/// An embedder that always fails, for error paths.
struct FailingEmbedder: Embedder {
    var dimension = 64
    var modelID = "failing"
    struct Failure: Error {}
    func embed(_ texts: [String]) async throws -> [[Float]] { throw Failure() }
}

/// An embedder that declares one dimension and returns another (seed 002's nomic-embed-text set to 384 returns 768).
struct LyingEmbedder: Embedder {
    var dimension = 384
    var modelID = "nomic-embed-text"
    func embed(_ texts: [String]) async throws -> [[Float]] { texts.map { _ in [Float](repeating: 0.1, count: 768) } }
}

/// Expects `body` to throw a `VecdError` with `code`.
func expectVecdError<T>(
    _ code: VecdError.Code, _ body: () async throws -> T
) async -> Bool {
    do {
        _ = try await body()
        return false
    } catch let error as VecdError {
        return error.code == code
    } catch {
        return false
    }
}
