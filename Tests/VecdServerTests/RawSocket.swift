import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to a test server, for requests no HTTP client sends: broken chunked framing, a body
/// shorter than its Content-Length, half a header.
final class RawSocket {
    private let descriptor: Int32

    /// Connects to 127.0.0.1:`port`; reads give up after `readTimeoutSeconds` without data.
    init(port: Int, readTimeoutSeconds: Int = 60) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawSocketError.system("socket", errno) }
        var timeout = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw RawSocketError.system("connect", errno)
        }
    }

    deinit { close(descriptor) }

    /// Runs blocking socket work on a thread of its own: blocking a thread of Swift's cooperative pool would starve
    /// the in-process server's handlers, which run on that pool.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw RawSocketError.system("send", errno) }
            sent += count
        }
    }

    /// Ends the sending side: the server sees EOF after what was sent.
    func finishSending() { shutdown(descriptor, Int32(SHUT_WR)) }

    /// Everything the server sends until it closes the connection; throws `timedOut` when it keeps the
    /// connection open past the read timeout instead.
    func readUntilClosed() throws -> String {
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return String(decoding: received, as: UTF8.self) }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { throw RawSocketError.timedOut(received.count) }
                if errno == ECONNRESET { return String(decoding: received, as: UTF8.self) }
                throw RawSocketError.system("recv", errno)
            }
            received += buffer[0..<count]
        }
    }
}

enum RawSocketError: Error {
    case system(String, Int32)
    /// The server kept the connection open; carries the bytes read until then.
    case timedOut(Int)
}

/// The status code and the body of a raw HTTP/1.1 response text.
struct RawResponse {
    var status: Int
    var head: String
    var body: String

    init(_ text: String) {
        let parts = text.components(separatedBy: "\r\n\r\n")
        head = parts.first ?? ""
        body = parts.dropFirst().joined(separator: "\r\n\r\n")
        status = head.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
    }

    /// The value of header `name` (case-insensitive).
    func header(_ name: String) -> String? {
        for line in head.components(separatedBy: "\r\n").dropFirst() {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == name.lowercased() {
                return pair[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
