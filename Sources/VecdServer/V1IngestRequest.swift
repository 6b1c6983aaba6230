import Foundation
import Vecd

/// The body of `POST /v1/collections/{name}/documents`: one document at the top level, or `{"documents":[…]}`,
/// with optional chunking options and `wait`.
struct V1IngestRequest: Decodable {
    /// One document to ingest.
    struct DocumentBody: Decodable {
        var id: String?
        var title: String?
        /// The text (HTML and Markdown as written); a PDF comes as `content_base64` instead.
        var content: String?
        var contentBase64: String?
        var documentType: DocumentType?
        var scope: String?
        var metadata: Metadata?
        var userID: String?
        var isGlobal: Bool?
        /// One vector per chunk instead of embedding the chunks.
        var vectors: [[Float]]?
        /// Shorthand for `vectors` of a document that makes one chunk.
        var vector: [Float]?

        enum CodingKeys: String, CodingKey {
            case id, title, content, scope, metadata, vectors, vector
            case contentBase64 = "content_base64"
            case documentType = "document_type"
            case userID = "user_id"
            case isGlobal = "is_global"
        }

        /// The store's input for this document, owned by `userID`; `position` names it in errors.
        func input(userID: String?, position: Int) throws -> DocumentInput {
            let name = "documents[\(position)]"
            if vector != nil && vectors != nil {
                throw APIError.invalidArgument("\(name): give vector or vectors, not both")
            }
            var input: DocumentInput
            if documentType == .pdf {
                guard content == nil, let encoded = contentBase64 else {
                    throw APIError.invalidArgument("\(name): a pdf document comes as content_base64, not content")
                }
                guard let data = Data(base64Encoded: encoded) else {
                    throw APIError.invalidArgument("\(name).content_base64 is not valid base64")
                }
                input = DocumentInput(
                    pdf: data, title: title ?? "", scope: scope ?? "global", metadata: metadata ?? [:])
            } else {
                guard contentBase64 == nil else {
                    throw APIError.invalidArgument("\(name): content_base64 is only for document_type pdf")
                }
                guard let content else { throw APIError.invalidArgument("\(name).content is required") }
                input = DocumentInput(
                    title: title ?? "", content: content, documentType: documentType ?? .text,
                    scope: scope ?? "global", metadata: metadata ?? [:])
            }
            input.id = id
            input.userID = userID
            input.isGlobal = isGlobal ?? false
            input.vectors = vectors ?? vector.map { [$0] }
            return input
        }
    }

    /// How to cut documents; sizes count Unicode scalars.
    struct ChunkingBody: Decodable {
        var size: Int?
        var overlap: Int?

        var options: ChunkingOptions {
            let defaults = ChunkingOptions()
            return ChunkingOptions(size: size ?? defaults.size, overlap: overlap ?? defaults.overlap)
        }
    }

    var documents: [DocumentBody]
    var chunking: ChunkingBody?
    /// Answer only once the job has finished (201) instead of at once with the queued job (202).
    var wait: Bool?

    enum CodingKeys: String, CodingKey {
        case documents, chunking, wait
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.documents) {
            documents = try container.decode([DocumentBody].self, forKey: .documents)
        } else {
            documents = [try DocumentBody(from: decoder)]
        }
        chunking = try container.decodeIfPresent(ChunkingBody.self, forKey: .chunking)
        wait = try container.decodeIfPresent(Bool.self, forKey: .wait)
    }
}
