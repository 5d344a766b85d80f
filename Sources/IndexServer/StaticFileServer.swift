import Foundation
import NIOCore
import NIOPosix
import PackageIndex

/// `mpyforge serve`: a static HTTP/1.x server for installing over a LAN during development,
/// on SwiftNIO event loops (one per core). GET and HEAD only; keep-alive; each request head
/// must arrive whole within `headTimeoutSeconds`, so slow clients cost a descriptor and a
/// buffer each, never a thread or a slot that others wait for. Every request is reported
/// through `log`, which must not block (it runs on the event loops).
public final class StaticFileServer: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var root: String
        public var host: String = "127.0.0.1"
        public var port: Int = 8000
        /// Beyond this many open connections a new one gets 503. Capped by the descriptor limit.
        public var maximumConnections: Int = 10_000
        public var headTimeoutSeconds: Int64 = 10
        public var idleTimeoutSeconds: Int64 = 10
        public var responseTimeoutSeconds: Int64 = 60
        public var threads: Int = System.coreCount

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
    private var group: MultiThreadedEventLoopGroup?
    private var listener: Channel?
    private var connections: ConnectionCount?

    public init(_ configuration: Configuration, log: @escaping @Sendable (String) -> Void) throws(ServerError) {
        guard let root = RequestPath.realPath(configuration.root), FileManager.default.isReadableDirectory(root) else {
            throw .notADirectory(configuration.root)
        }
        self.configuration = configuration
        self.root = root
        self.log = log
    }

    /// Opens the listening socket; returns the port (useful when asked for port 0).
    public func start() throws(ServerError) -> Int {
        guard (0...65535).contains(configuration.port) else { throw .badPort(configuration.port) }
        var probe = in_addr()
        guard inet_pton(AF_INET, configuration.host, &probe) == 1,
              let address = try? SocketAddress(ipAddress: configuration.host, port: configuration.port) else {
            throw .badHost(configuration.host)
        }
        let count = ConnectionCount(limit: min(configuration.maximumConnections, Self.descriptorBudget()))
        let settings = ConnectionSettings(
            root: root, headTimeout: .seconds(configuration.headTimeoutSeconds), idleTimeout: .seconds(configuration.idleTimeoutSeconds),
            responseTimeout: .seconds(configuration.responseTimeoutSeconds), lingerTimeout: .seconds(2),
            connections: count, log: log)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HTTPConnectionHandler(settings: settings, admitted: count.admit()))
                }
            }
        let channel: Channel
        do { channel = try bootstrap.bind(to: address).wait() } catch {
            try? group.syncShutdownGracefully()
            throw .bind(host: configuration.host, port: configuration.port, detail: "\(error)")
        }
        state.withLock {
            self.group = group
            self.listener = channel
            self.connections = count
        }
        return channel.localAddress?.port ?? configuration.port
    }

    /// Serves until `stop()`, then gives requests in flight a second and closes the rest.
    public func run() {
        guard let (group, listener, connections) = state.withLock({ () -> (MultiThreadedEventLoopGroup, Channel, ConnectionCount)? in
            guard let group, let listener, let connections else { return nil }
            return (group, listener, connections)
        }) else { return }
        try? listener.closeFuture.wait()
        for _ in 0..<50 where connections.current > 0 { usleep(20_000) }
        try? group.syncShutdownGracefully()
    }

    /// Safe from any thread, including a signal-handling one.
    public func stop() {
        state.withLock { listener }?.close(promise: nil)
    }

    /// Open descriptors allowed to this process, less a margin for files being sent and the rest.
    private static func descriptorBudget() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1000 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        let available = Int(clamping: limit.rlim_cur)  // RLIM_INFINITY is the largest value
        return max(16, available / 2 - 32)
    }
}

extension FileManager {
    func isReadableDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
