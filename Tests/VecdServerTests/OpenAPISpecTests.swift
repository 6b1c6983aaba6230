import Foundation
import Hummingbird
import Testing
import Vecd
import VecdEmbed
@testable import VecdServer

/// `formats/openapi.yaml` and the router agree: every served route is documented and every documented route served.
@Suite("OpenAPI spec against the router")
struct OpenAPISpecTests {
    /// The repository's spec, found from this file's path so the test runs from any working directory.
    static let specURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("formats/openapi.yaml")

    static func specText() throws -> String { try String(contentsOf: specURL, encoding: .utf8) }

    /// Every `METHOD /path` the server's router answers, with path parameters written the OpenAPI way.
    static func servedOperations() throws -> Set<String> {
        let store = try VecdStore.temporary(embedder: try HashingEmbedder())
        let server = VecdServer(configuration: ServerConfiguration(), store: store)
        return Set(
            server.makeRouter().routes.map { route in
                "\(route.method.rawValue) \(OpenAPIPaths.normalize(route.path.description))"
            })
    }

    @Test("every route the router serves is in formats/openapi.yaml, and every path there is served")
    func routesMatchSpec() throws {
        let documented = try OpenAPIPaths.operations(inSpec: try Self.specText())
        let served = try Self.servedOperations()
        let undocumented = served.subtracting(documented).sorted()
        let unserved = documented.subtracting(served).sorted()
        #expect(undocumented.isEmpty, "served but missing from formats/openapi.yaml: \(undocumented)")
        #expect(unserved.isEmpty, "in formats/openapi.yaml but not served: \(unserved)")
        #expect(served.contains("GET /healthz"), "the router listing is empty or unreadable: \(served.sorted())")
    }

    @Test("the spec documents the server's default k and body limits")
    func limitsMatchSpec() throws {
        let text = try Self.specText()
        let limits = ServerLimits()
        for parameter in ["Limit", "K"] {
            let maximum = OpenAPIPaths.componentParameterMaximum(parameter, inSpec: text)
            #expect(maximum == limits.maxK, "components.parameters.\(parameter) maximum is \(String(describing: maximum))")
        }
        #expect(limits.maxBodyBytes == 16 << 20 && text.contains("request body: 16 MiB"))
        #expect(text.contains("(`max_batch`)") && text.contains("batch (documents, memories, vectors): \(limits.maxBatch)"))
    }

    @Test("path normalization turns Hummingbird captures into OpenAPI parameters")
    func normalization() {
        #expect(OpenAPIPaths.normalize("/v1/documents/:id") == "/v1/documents/{id}")
        #expect(OpenAPIPaths.normalize("/api/v1/agent/messages/{id}/feedback/") == "/api/v1/agent/messages/{id}/feedback")
        #expect(OpenAPIPaths.normalize("healthz") == "/healthz")
    }

    @Test("the line parser reads paths and methods and ignores other keys")
    func parser() throws {
        let yaml = """
            openapi: 3.0.3
            paths:
              /a:
                get:
                  parameters: []
                  responses: {}
                post:
                  responses: {}
              "/b/{id}":
                summary: a path-level key that is not a method
                delete:
                  responses: {}
            components:
              schemas:
                get:
                  type: object
            """
        #expect(try OpenAPIPaths.operations(inSpec: yaml) == ["GET /a", "POST /a", "DELETE /b/{id}"])
    }
}

/// A deliberately small reader of an OpenAPI document's `paths:` block: just paths and their HTTP methods, which is all
/// the route check needs (block-style YAML as `formats/openapi.yaml` is written; flow-style paths are not read).
enum OpenAPIPaths {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// `METHOD /path` for every operation under `paths:`. Methods are the direct children of a path; deeper keys (a
    /// schema property named `get`) are not operations.
    static func operations(inSpec text: String) throws -> Set<String> {
        var operations = Set<String>()
        var inPaths = false
        var pathIndent: Int?
        var childIndent: Int?
        var currentPath: String?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.trimmingCharacters(in: .whitespaces)
            if content.isEmpty || content.hasPrefix("#") { continue }
            let indent = line.prefix { $0 == " " }.count
            if indent == 0 {
                inPaths = content == "paths:"
                currentPath = nil
                continue
            }
            guard inPaths else { continue }
            let level = pathIndent ?? indent
            pathIndent = level
            if indent == level {
                let key = unquote(String(content.dropLast()))
                guard content.hasSuffix(":"), key.hasPrefix("/") else {
                    throw ParseError(description: "line \(number + 1): expected a path key such as /healthz:, got \(content)")
                }
                currentPath = key
                childIndent = nil
            } else if let path = currentPath, indent > level {
                let child = childIndent ?? indent
                childIndent = child
                let key = unquote(String(content.dropLast()))
                if indent == child, content.hasSuffix(":"), methods.contains(key) {
                    operations.insert("\(key.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    private static func unquote(_ key: String) -> String {
        guard key.count >= 2, let first = key.first, first == key.last, first == "\"" || first == "'" else { return key }
        return String(key.dropFirst().dropLast())
    }

    /// A router path with a leading slash, no trailing slash, and `:name` captures written `{name}`.
    static func normalize(_ path: String) -> String {
        let components = path.split(separator: "/").map { component in
            component.hasPrefix(":") ? "{\(component.dropFirst())}" : String(component)
        }
        return "/" + components.joined(separator: "/")
    }

    /// The `maximum:` of a parameter's schema in `components.parameters`.
    static func componentParameterMaximum(_ name: String, inSpec text: String) -> Int? {
        let lines = text.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(of: "    \(name):") else { return nil }
        for line in lines[(start + 1)...] {
            if line.prefix(while: { $0 == " " }).count <= 4 { return nil }
            if let range = line.range(of: "maximum: ") {
                return Int(line[range.upperBound...].prefix { $0.isNumber })
            }
        }
        return nil
    }
}

/// The query parameters `formats/openapi.yaml` documents, per operation, against the ones the server takes.
@Suite("OpenAPI query parameters against the server's catalog")
struct OpenAPIQueryParameterTests {
    @Test("every operation documents exactly the query parameters the server accepts (and refuses the rest)")
    func queryParametersMatchSpec() throws {
        let documented = try OpenAPIQueryParameters.read(try OpenAPISpecTests.specText())
        let served = try OpenAPISpecTests.servedOperations()
        #expect(documented.count >= 50, "the reader found only \(documented.count) operations")
        for operation in served.sorted() {
            let inSpec = documented[operation] ?? []
            let accepted = QueryParameterCatalog.accepted[operation] ?? []
            #expect(
                inSpec == accepted,
                "\(operation): the spec documents \(inSpec.sorted()), the server takes \(accepted.sorted())")
        }
        let unknownOperations = Set(QueryParameterCatalog.accepted.keys).subtracting(served)
        #expect(unknownOperations.isEmpty, "catalog entries for no route: \(unknownOperations.sorted())")
    }
}

/// Reads `parameters:` lists (inline `- name:` with `in: query`, or `$ref`s into `components.parameters`) at path
/// and operation level, in the block style `formats/openapi.yaml` is written in.
enum OpenAPIQueryParameters {
    static func read(_ text: String) throws -> [String: Set<String>] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let components = componentQueryParameters(lines)
        var result: [String: Set<String>] = [:]
        var path: String?
        var method: String?
        var pathLevel: Set<String> = []
        var pendingName: String?
        var inPaths = false
        func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        for line in lines {
            let content = line.trimmingCharacters(in: .whitespaces)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if indent(line) == 0 {
                inPaths = content == "paths:"
                continue
            }
            guard inPaths else { continue }
            if indent(line) == 2 {
                path = String(content.dropLast()).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                method = nil
                pathLevel = []
                continue
            }
            if indent(line) == 4 {
                let key = String(content.dropLast())
                if OpenAPIPaths.methods.contains(key), let path {
                    method = key.uppercased()
                    result["\(key.uppercased()) \(path)", default: []].formUnion(pathLevel)
                } else {
                    method = nil
                }
                continue
            }
            let add: (String) -> Void = { name in
                guard let path else { return }
                if let method {
                    result["\(method) \(path)", default: []].insert(name)
                } else {
                    pathLevel.insert(name)
                }
            }
            if content.hasPrefix("- $ref: \"#/components/parameters/") {
                let name = content.dropFirst("- $ref: \"#/components/parameters/".count).dropLast()
                if let query = components[String(name)] { add(query) }
            } else if content.hasPrefix("- name: ") {
                pendingName = String(content.dropFirst("- name: ".count))
            } else if content == "in: query", let name = pendingName {
                add(name)
                pendingName = nil
            } else if content.hasPrefix("in: ") {
                pendingName = nil
            }
        }
        return result
    }

    /// `components.parameters` entries that are query parameters: entry name → parameter name.
    private static func componentQueryParameters(_ lines: [String]) -> [String: String] {
        var result: [String: String] = [:]
        var inParameters = false
        var entry: String?
        var name: String?
        for line in lines {
            let indent = line.prefix { $0 == " " }.count
            let content = line.trimmingCharacters(in: .whitespaces)
            if content.isEmpty { continue }
            if indent == 2 { inParameters = content == "parameters:" }
            guard inParameters else { continue }
            if indent == 4 {
                entry = String(content.dropLast())
                name = nil
            } else if indent == 6, content.hasPrefix("name: ") {
                name = String(content.dropFirst("name: ".count))
            } else if indent == 6, content == "in: query", let entry, let name {
                result[entry] = name
            }
        }
        return result
    }
}
