import Foundation

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `vecd serve` child process for lifecycle tests: started from the built binary, ready once it printed its
/// listening line, stopped with a real signal.
final class VecdServeChild: @unchecked Sendable {
    let process: Process
    let port: Int
    /// Everything the child wrote to stderr (its log), readable after it exited.
    private let stderrFile: URL

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// The first stdout line, `vecd listening on http://HOST:PORT`.
    let listeningLine: String

    private init(process: Process, port: Int, listeningLine: String, stderrFile: URL) {
        self.process = process
        self.port = port
        self.listeningLine = listeningLine
        self.stderrFile = stderrFile
    }

    /// Starts `vecd serve arguments…` and returns once it printed its listening line.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> VecdServeChild {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: VecdBinary.path)
        process.arguments = ["serve"] + arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VECD_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        let stderrFile = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-serve-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
        let line = readLine(output.fileHandleForReading)
        guard line.hasPrefix("vecd listening on http://"), let port = line.split(separator: ":").last.flatMap({ Int($0) })
        else {
            process.terminate()
            process.waitUntilExit()
            let log = (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
            throw ServeChildError.noListeningLine(line, log: log)
        }
        return VecdServeChild(process: process, port: port, listeningLine: line, stderrFile: stderrFile)
    }

    /// Reads one line byte by byte, so nothing after it is consumed.
    static func readLine(_ handle: FileHandle) -> String {
        var line = Data()
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }

    var log: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the child to exit and returns its status (the signal number when a signal ended it).
    func waitForExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: stderrFile)
    }

    /// One HTTP exchange with the child.
    func request(_ method: String, _ path: String, json: Any? = nil) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: path, relativeTo: baseURL)!)
        request.httpMethod = method
        request.timeoutInterval = 60
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}

enum ServeChildError: Error, CustomStringConvertible {
    case noListeningLine(String, log: String)

    var description: String {
        switch self {
        case .noListeningLine(let line, let log): "vecd serve printed \(line.debugDescription) first; log: \(log)"
        }
    }
}

/// A raw TCP connection, for requests the test must hold half-sent (URLSession sends whole bodies).
final class RawHTTPConnection {
    private let socketFD: Int32

    init(port: Int) throws {
        socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw RawHTTPError.system("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(socketFD)
            throw RawHTTPError.system("connect", errno)
        }
    }

    deinit { close(socketFD) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socketFD, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw RawHTTPError.system("send", errno) }
            sent += count
        }
    }

    /// Reads until the peer closes or a whole `Content-Length` response arrived; returns the status and the text.
    func readResponse() throws -> (status: Int, text: String) {
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while !Self.isComplete(received) {
            let count = buffer.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress, $0.count, 0) }
            if count < 0 { throw RawHTTPError.system("recv", errno) }
            if count == 0 { break }
            received += buffer[0..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        return (status, text)
    }

    /// Whether `bytes` hold the head and the whole `Content-Length` body of a response.
    static func isComplete(_ bytes: [UInt8]) -> Bool {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4,
            let headEnd = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == separator })
        else { return false }
        let head = String(decoding: bytes[0..<headEnd], as: UTF8.self).lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        else { return false }
        return bytes.count - (headEnd + 4) >= length
    }
}

enum RawHTTPError: Error {
    case system(String, Int32)
}
