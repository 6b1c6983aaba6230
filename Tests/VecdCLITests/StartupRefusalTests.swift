import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `vecd` refusing impossible starts in words, with an exit status, and without leaving anything behind.
@Suite("vecd: start-up and argument refusals")
struct StartupRefusalTests {
    /// A loopback socket listening on a port the system picked, held for the test's duration.
    final class BusyPort {
        let descriptor: Int32
        let port: Int

        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.descriptor = descriptor
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(descriptor, pointer, length) == 0 && listen(descriptor, 4) == 0
                        && getsockname(descriptor, pointer, &length) == 0
                }
            }
            guard bound else { throw BusyPortError.cannotListen }
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(descriptor) }
    }

    enum BusyPortError: Error { case cannotListen }

    /// Runs `vecd` with `TMPDIR` pointed at `temporary`.
    static func run(_ arguments: [String], temporary: URL) throws -> VecdBinary.Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: VecdBinary.path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temporary.path
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("a port in use: the message names the port and how to choose another, exit 69, no store created")
    func portInUse() throws {
        let busy = try BusyPort()
        let scratch = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let temporary = scratch.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let data = scratch.appendingPathComponent("store")
        for arguments in [
            ["serve", "--port", "\(busy.port)", "--data", data.path], ["serve", "--port", "\(busy.port)", "--ephemeral"],
        ] {
            let output = try Self.run(arguments, temporary: temporary)
            #expect(output.status == 69, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains("port \(busy.port)"))
            #expect(output.stderr.contains("in use"))
            #expect(output.stderr.contains("--port"))
            #expect(!output.stderr.contains("bind(descriptor"))
            #expect(!output.stdout.contains("listening"))
        }
        #expect(!FileManager.default.fileExists(atPath: data.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
    }

    @Test(
        "bench ann and churn with impossible sizes are argument errors (exit 64), never a trap",
        arguments: [
            ["ann", "--generate", "5", "--k", "10"], ["ann", "--generate", "0", "--k", "10"],
            ["ann", "--generate", "100", "--k", "0"], ["ann", "--generate", "100", "--dimension", "0"],
            ["ann", "--generate", "100", "--query-count", "0"], ["ann", "--generate", "100", "--ef-search", "0"],
            ["ann", "--generate", "100", "--m", "1"], ["ann", "--generate", "100", "--threads", "0"],
            ["churn", "--generate", "5", "--k", "10", "--query-count", "3"],
            ["churn", "--generate", "100", "--k", "0", "--query-count", "3"],
            ["churn", "--generate", "100", "--query-count", "0"], ["churn", "--generate", "0", "--query-count", "3"],
        ])
    func benchANNArguments(_ arguments: [String]) throws {
        let output = try VecdBinary.run(["bench"] + arguments)
        #expect(output.status == 64, "\(arguments): status \(output.status), \(output.stderr.prefix(300))")
        #expect(output.stderr.contains("must be in"))
        #expect(!output.stderr.contains("Illegal instruction") && !output.stderr.contains("Precondition"))
    }
}
