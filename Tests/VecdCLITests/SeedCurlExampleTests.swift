import Foundation
import Testing

/// Seed 002's README examples, run verbatim with curl against a real `vecd serve --ephemeral` process.
@Suite("Seed 002 curl examples")
struct SeedCurlExampleTests {
    /// The examples as the seed prints them (its "Usage Examples" and "Testing" sections), in order.
    static let examples = [
        """
        curl -X POST http://localhost:8080/memory/add \\
          -H "Content-Type: application/json" \\
          -d '{
            "content": "The user prefers lights at 50% brightness in the evening",
            "tags": ["preference", "lighting"],
            "source": "user_feedback"
          }'
        """,
        """
        curl -X GET "http://localhost:8080/memory/search?query=lighting%20preferences&limit=5"
        """,
        """
        curl -X POST http://localhost:8080/preferences/set \\
          -H "Content-Type: application/json" \\
          -d '{
            "key": "entity_alias.my_office",
            "value": {"entity_id": "light.office_main"},
            "category": "aliases"
          }'
        """,
        """
        curl -X POST http://localhost:8080/training/feedback \\
          -H "Content-Type: application/json" \\
          -d '{
            "interaction_id": "conv_123",
            "score": 5,
            "comment": "Correctly turned on all lights"
          }'
        """,
        """
        curl -X GET "http://localhost:8080/memory/search?query=test&limit=1"
        """,
    ]

    @Test("every example answers 2xx with a JSON body, and the searches find the added memory")
    func examplesWorkVerbatim() throws {
        let server = try ServeProcess.start(["serve", "--ephemeral"])
        defer { server.terminate() }
        var bodies: [[String: Any]] = []
        for example in Self.examples {
            // The example is unchanged except for the port; the appended flags only separate body from status.
            let command = example.replacingOccurrences(of: "localhost:8080", with: "127.0.0.1:\(server.port)")
                + " -sS -w '\\n%{http_code}'"
            let output = try Shell.run(command)
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            let status = Int(lines.last ?? "") ?? 0
            #expect((200..<300).contains(status), "\(example) answered \(status): \(output)")
            let body = lines.dropLast().joined(separator: "\n")
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            bodies.append(try #require(object, "not a JSON object: \(body)"))
        }
        let memoryID = try #require(bodies[0]["id"] as? String)
        for searchIndex in [1, 4] {
            let results = try #require(bodies[searchIndex]["results"] as? [[String: Any]])
            #expect(results.first?["id"] as? String == memoryID)
        }
        #expect(bodies[2]["key"] as? String == "entity_alias.my_office")
        #expect(bodies[3]["id"] is String)
    }
}

/// A `vecd` child process that printed its listening line.
struct ServeProcess {
    let process: Process
    let port: Int

    /// Starts `vecd arguments…` and waits for `vecd listening on http://HOST:PORT` on stdout.
    static func start(_ arguments: [String]) throws -> ServeProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: VecdBinary.path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard !byte.isEmpty else { break }
            if byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("vecd listening on http://"), let port = text.split(separator: ":").last.flatMap({ Int($0) })
        else {
            process.terminate()
            throw ServeProcessError.noListeningLine(text)
        }
        return ServeProcess(process: process, port: port)
    }

    func terminate() {
        process.terminate()
        process.waitUntilExit()
    }
}

enum ServeProcessError: Error {
    case noListeningLine(String)
}

/// Runs a bash command and returns its stdout.
enum Shell {
    static func run(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
