import Foundation

/// The JSON bodies of the two embedding protocols: one request shape, two response shapes.
enum EmbeddingWireFormat {
    private struct Request: Encodable {
        let model: String
        let input: [String]
    }

    private struct OpenAIResponse: Decodable {
        struct Item: Decodable {
            let embedding: [Float]
            /// Position of the input; OpenAI documents it, some compatible servers omit it.
            let index: Int?
        }
        let data: [Item]
    }

    private struct OllamaResponse: Decodable {
        let embeddings: [[Float]]
    }

    /// Both protocols take `{"model": …, "input": [texts]}`.
    static func requestBody(model: String, texts: [String]) throws -> Data {
        try JSONEncoder().encode(Request(model: model, input: texts))
    }

    /// Decodes the vectors of a 2xx response, in input order.
    static func vectors(from body: Data, api: EmbeddingAPI, model: String) throws(EmbedderError) -> [[Float]] {
        do {
            switch api {
            case .ollama:
                return try JSONDecoder().decode(OllamaResponse.self, from: body).embeddings
            case .openAICompatible:
                let items = try JSONDecoder().decode(OpenAIResponse.self, from: body).data
                guard items.allSatisfy({ $0.index != nil }) else { return items.map(\.embedding) }
                // The specification allows any order; `index` says which input each vector belongs to.
                let ordered = items.sorted { $0.index! < $1.index! }
                guard ordered.enumerated().allSatisfy({ $0.offset == $0.element.index }) else {
                    throw EmbedderError.badResponse(
                        model: model, detail: "data[].index is not a permutation of 0..<\(items.count)")
                }
                return ordered.map(\.embedding)
            }
        } catch let error as EmbedderError {
            throw error
        } catch let error as DecodingError {
            throw .badResponse(model: model, detail: describe(error, api: api))
        } catch {
            throw .badResponse(model: model, detail: "\(error)")
        }
    }

    /// A short reason that names the missing or mistyped field instead of Foundation's long dump.
    private static func describe(_ error: DecodingError, api: EmbeddingAPI) -> String {
        let expected = api == .ollama ? "{\"embeddings\": [[numbers]]}" : "{\"data\": [{\"embedding\": [numbers]}]}"
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "the body is not JSON; expected \(expected)"
        case .keyNotFound(let key, let context):
            return "missing field \(path(context)).\(key.stringValue); expected \(expected)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "unexpected value at \(path(context)); expected \(expected)"
        @unknown default:
            return "unexpected body; expected \(expected)"
        }
    }
}
