import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mpyforge serve`: a small static HTTP/1.x server for installing over a LAN during
/// development. GET and HEAD only, one response per connection, a thread per connection
/// up to a bound, every request reported through `log`.
public final class StaticFileServer: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var root: String
        public var host: String = "127.0.0.1"
        public var port: Int = 8000
        public var maximumConnections: Int = 32
        public var timeoutSeconds: Int = 10

        public init(root: String, host: String = "127.0.0.1", port: Int = 8000) {
            self.root = root
            self.host = host
            self.port = port
        }
    }

    public let configuration: Configuration
    /// The canonical root every served file must be under.
    public let root: String
    private let log: @Sendable (String) -> Void
    private let state = NSLock()
    private var listener: Int32 = -1
    private var stopping = false
    private var activeConnections = 0

    public init(_ configuration: Configuration, log: @escaping @Sendable (String) -> Void) throws(ServerError) {
        guard let root = RequestPath.realPath(configuration.root), FileTree.isDirectory(root) else {
            throw .notADirectory(configuration.root)
        }
        self.configuration = configuration
        self.root = root
        self.log = log
    }

    /// Opens the listening socket; returns the port (useful when asked for port 0).
    public func start() throws(ServerError) -> Int {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: configuration.port).bigEndian)
        guard inet_pton(AF_INET, configuration.host, &address.sin_addr) == 1 else { throw .badHost(configuration.host) }

        let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = socket(AF_INET, socketType, 0)
        guard descriptor >= 0 else { throw .socket(Self.lastError()) }
        var on: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            let detail = Self.lastError()
            close(descriptor)
            throw .bind(host: configuration.host, port: configuration.port, detail: detail)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        state.withLock { listener = descriptor }
        return Int(UInt16(bigEndian: actual.sin_port))
    }

    /// Accepts connections until `stop()`, then waits briefly for requests in flight.
    public func run() {
        let descriptor = state.withLock { listener }
        guard descriptor >= 0 else { return }
        while !state.withLock({ stopping }) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            var peer = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let client = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(descriptor, $0, &length) }
            }
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let peerName = Self.describe(peer)
            let admitted = state.withLock {
                guard activeConnections < configuration.maximumConnections else { return false }
                activeConnections += 1
                return true
            }
            guard admitted else {
                Connection(descriptor: client, peer: peerName, server: self).refuseBusy()
                continue
            }
            Thread.detachNewThread { [self] in
                Connection(descriptor: client, peer: peerName, server: self).serve()
                state.withLock { activeConnections -= 1 }
            }
        }
        for _ in 0..<50 where state.withLock({ activeConnections }) > 0 { usleep(20_000) }
        state.withLock {
            close(listener)
            listener = -1
        }
    }

    /// Safe from any thread, including a signal source.
    public func stop() {
        state.withLock { stopping = true }
    }

    func report(_ line: String) { log(line) }

    static func lastError() -> String { String(cString: strerror(errno)) }

    private static func describe(_ peer: sockaddr_in) -> String {
        var address = peer.sin_addr
        var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        guard inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        let name = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: name, as: UTF8.self)
    }
}
