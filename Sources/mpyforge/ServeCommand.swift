import ArgumentParser
import Foundation
import IndexServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve an index over HTTP for installs on the local network during development.",
        discussion: """
            Binds to 127.0.0.1 unless --host says otherwise (0.0.0.0 lets boards on the LAN in). \
            Serves files under the index directory only, GET and HEAD, with keep-alive, and logs \
            each request to standard error (control characters escaped). A request head must \
            arrive whole within --head-timeout seconds.

            --port 0 picks a free port; the first line on standard output says which. Stop with \
            Ctrl-C or SIGTERM.
            """)

    @Argument(help: "The index directory to serve.") var index: String
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on, 1-65535 (0: any free port).") var port: Int = 8000
    @Option(help: "Seconds a client has to send a whole request head.") var headTimeout: Int = 10

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port): use 1 to 65535, or 0 for any free port") }
        guard (1...3600).contains(headTimeout) else { throw ValidationError("--head-timeout \(headTimeout): use 1 to 3600 seconds") }
    }

    func run() throws {
        // SIGINT and SIGTERM are blocked before any thread starts (threads inherit the mask)
        // and taken by one thread with sigwait, which stops the server.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        signal(SIGPIPE, SIG_IGN)
        let log = AsyncLineWriter()
        let server: StaticFileServer
        let boundPort: Int
        switch Result(catching: { () throws(ServerError) in try startServer(log: log) }) {
        case .success(let started): (server, boundPort) = started
        case .failure(let error):
            Output.error(error.description)
            throw ExitCode.failure
        }
        let waited = stopSignals
        Thread.detachNewThread {
            var set = waited
            var received: Int32 = 0
            sigwait(&set, &received)
            server.stop()
        }
        FileHandle.standardOutput.write(Data("serving \(server.root) at http://\(host):\(boundPort)/\n".utf8))
        server.run()
        log.flush(within: 1)
    }

    private func startServer(log: AsyncLineWriter) throws(ServerError) -> (StaticFileServer, Int) {
        var configuration = StaticFileServer.Configuration(root: index, host: host, port: port)
        configuration.headTimeoutSeconds = Int64(headTimeout)
        let server = try StaticFileServer(configuration) { log.write($0) }
        return (server, try server.start())
    }
}
