import Foundation
import Testing
import Vecd
import VecdServer

/// Broken HTTP/1.1 framing is the client's fault: 400 and a closed connection, never a 500; a client that sends
/// half a request head cannot hold its connection open.
@Suite("HTTP framing and slow clients")
struct HTTPFramingTests {
    static func port(_ server: TestServer) -> Int { server.baseURL.port ?? 0 }

    static let head =
        "POST /v1/memories HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"

    /// Sends `request`, ends the sending side, and returns what the server answered before closing.
    static func exchange(_ request: String, port: Int) async throws -> RawResponse {
        try await RawSocket.offPool {
            let socket = try RawSocket(port: port)
            try socket.send(request)
            socket.finishSending()
            return RawResponse(try socket.readUntilClosed())
        }
    }

    @Test(
        "a bad chunk size, a chunk longer than the data, and a body shorter than Content-Length are 400 bad_request",
        arguments: [
            "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
            "Transfer-Encoding: chunked\r\n\r\n100\r\n{\"content\":\"x\"}",
            "Content-Length: 100\r\n\r\n{\"content\":\"x\"}",
        ])
    func brokenFraming(_ rest: String) async throws {
        let server = try await TestServer.start()
        let reply = try await Self.exchange(Self.head + rest, port: Self.port(server))
        #expect(reply.status == 400, "\(reply.head)")
        #expect(reply.body.contains("\"bad_request\""))
        #expect(!reply.body.contains("internal"))
        #expect(try server.store.memories().isEmpty)
        await server.stop()
    }

    @Test("a connection that sent half a request head is closed by the server after the idle timeout")
    func halfHeader() async throws {
        let server = try await TestServer.start { $0.limits.idleTimeoutSeconds = 1 }
        // The read gives up after 60 s: the server must close the connection well before that.
        let port = Self.port(server)
        let answer = try await RawSocket.offPool {
            let socket = try RawSocket(port: port, readTimeoutSeconds: 60)
            try socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            return try socket.readUntilClosed()
        }
        #expect(!answer.hasPrefix("HTTP/1.1 2"))
        // The server still serves others afterwards.
        #expect(try await server.request("GET", "/healthz").status == 200)
        await server.stop()
    }
}
