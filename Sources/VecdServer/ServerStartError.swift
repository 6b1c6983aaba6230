#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why `vecd serve` could not start listening, in words that say what to do next.
public enum ServerStartError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Another process listens on the port already.
    case portInUse(host: String, port: Int)
    /// The system refused the address for another reason (no permission for a low port, an address this machine
    /// does not have, a host name that does not resolve).
    case cannotBind(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .portInUse(let host, let port):
            "port \(port) on \(host) is in use by another program: stop that program, or choose another port with "
                + "--port N (or VECD_PORT=N), or --port 0 to let the system pick a free one"
        case .cannotBind(let host, let port, let reason):
            "cannot listen on \(host) port \(port): \(reason); choose another address with --host or another port "
                + "with --port N (--port 0 picks a free one)"
        }
    }

    /// Checks that `host:port` can be bound now, by binding and closing a socket the way the server will (with
    /// SO_REUSEADDR, so a port held only by closed connections is free, while one a program listens on is not).
    /// Start-up calls it before it creates anything on disk, so a busy port leaves no store behind; port 0 always
    /// passes.
    public static func checkAvailable(host: String, port: Int) throws(ServerStartError) {
        guard port != 0 else { return }
        guard (1...65_535).contains(port) else {
            throw .cannotBind(host: host, port: port, reason: "ports are 0...65535")
        }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &found)
        guard resolved == 0, let first = found else {
            throw .cannotBind(host: host, port: port, reason: "the host name does not resolve")
        }
        defer { freeaddrinfo(found) }
        let socketDescriptor = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard socketDescriptor >= 0 else { return }  // no socket to test with: let the server's own bind decide
        defer { close(socketDescriptor) }
        var one: Int32 = 1
        _ = setsockopt(socketDescriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(socketDescriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            throw failure(errno: errno, host: host, port: port)
        }
    }

    /// The error for a failed bind's `errno`.
    static func failure(errno code: Int32, host: String, port: Int) -> ServerStartError {
        switch code {
        case EADDRINUSE: .portInUse(host: host, port: port)
        case EACCES: .cannotBind(host: host, port: port, reason: "this user may not bind that port")
        case EADDRNOTAVAIL: .cannotBind(host: host, port: port, reason: "this machine has no such address")
        default: .cannotBind(host: host, port: port, reason: String(cString: strerror(code)).lowercased())
        }
    }
}
