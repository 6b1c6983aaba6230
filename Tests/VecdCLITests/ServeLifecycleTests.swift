import Foundation
import Testing

/// `vecd serve` as a real process: the listening line, the address file, SIGTERM with a request in flight.
@Suite("vecd serve lifecycle")
struct ServeLifecycleTests {
    @Test("--ephemeral prints the listening line first, answers /healthz, and exits 0 on SIGTERM")
    func ephemeralStartAndStop() async throws {
        let child = try VecdServeChild.start(["--ephemeral"])
        #expect(child.listeningLine == "vecd listening on http://127.0.0.1:\(child.port)")
        #expect(child.port > 0)
        let health = try await child.request("GET", "/healthz")
        #expect(health.status == 200)
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0, "log: \(child.log)")
    }

    @Test("--data records the address in vecd.server.json while serving and removes it on a clean exit")
    func addressFile() async throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = try VecdServeChild.start(["--data", directory.path, "--port", "0"])
        let file = directory.appendingPathComponent("vecd.server.json")
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        #expect(record["url"] as? String == "http://127.0.0.1:\(child.port)")
        #expect(record["pid"] as? Int == Int(child.process.processIdentifier))
        #expect(record["auth"] as? Bool == false)
        #expect(record["started_at"] is String)
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test("SIGTERM while a request's body is half sent: the request completes with 201, the process exits 0, and the memory is there after a restart")
    func sigtermDrainsRequestsInFlight() async throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The two halves of the body are apart for as long as the polling below takes, which on a loaded machine
        // can pass the idle timeout; this test is about the drain, so the timeout is set far out.
        let child = try VecdServeChild.start(
            ["--data", directory.path, "--port", "0"], environment: ["VECD_IDLE_TIMEOUT_SECONDS": "600"])
        let content = "drain probe: the boiler was serviced on the fourth of March"
        let body = #"{"content": "\#(content)", "tags": ["drain"]}"#
        let connection = try RawHTTPConnection(port: child.port)
        let half = body.utf8.count / 2
        try connection.send(
            "POST /memory/add HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n" + String(body.prefix(half)))
        // Wait until the server is handling the request (its head was read and routed), as /metrics reports it;
        // a connection whose head is still unread when SIGTERM arrives is idle and may be closed.
        var handling = false
        for _ in 0..<2_000 where !handling {
            let metrics = String(decoding: try await child.request("GET", "/metrics").body, as: UTF8.self)
            let inFlight = metrics.split(separator: "\n").first { $0.hasPrefix("vecd_http_requests_in_flight ") }
            handling = inFlight.flatMap { Double($0.split(separator: " ")[1]) } ?? 0 >= 2  // the scrape is one
            if !handling { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(handling, "the half-sent request never reached a handler")
        child.signal(SIGTERM)
        // The listener closes once the shutdown began; only then is the rest of the body sent, so the request is
        // certainly in flight during the drain.
        var refused = false
        for _ in 0..<2_000 where !refused {
            do { _ = try RawHTTPConnection(port: child.port) } catch { refused = true }
            if !refused { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(refused, "the listener stayed open after SIGTERM")
        try connection.send(String(body.dropFirst(half)))
        let response = try connection.readResponse()
        #expect(response.status == 201, "\(response.text)")
        #expect(child.waitForExit() == 0, "log: \(child.log)")

        let restarted = try VecdServeChild.start(["--data", directory.path, "--port", "0"])
        let found = try await restarted.request("GET", "/memory/search?query=boiler%20serviced&limit=5")
        #expect(String(decoding: found.body, as: UTF8.self).contains(content))
        restarted.signal(SIGTERM)
        #expect(restarted.waitForExit() == 0)
    }

    @Test("a config file that names an unknown setting stops vecd serve with the setting's name")
    func badConfigFile() throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("vecd.json")
        try Data(#"{"prot": 8080}"#.utf8).write(to: file)
        let output = try VecdBinary.run(["serve", "--config", file.path])
        #expect(output.status != 0)
        #expect(output.stderr.contains("prot is not a setting"))
        #expect(output.stdout.isEmpty)
    }
}
