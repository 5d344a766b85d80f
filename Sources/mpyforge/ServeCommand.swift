import ArgumentParser
import Foundation
import PackageIndex

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve an index over HTTP for installs on the local network during development.",
        discussion: """
            Binds to 127.0.0.1 unless --host says otherwise (0.0.0.0 lets boards on the LAN in).
            Serves files under the index directory only, GET and HEAD, and logs each request to
            standard error. --port 0 picks a free port; the first line on standard output says
            which. Stop with Ctrl-C.
            """)

    @Argument(help: "The index directory to serve.") var index: String
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port: Int = 8000

    func run() throws {
        // SIGINT and SIGTERM are blocked before any thread starts (threads inherit the mask)
        // and taken by one thread with sigwait, which asks the accept loop to finish.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        let server: StaticFileServer
        let boundPort: Int
        switch Result(catching: { () throws(ServerError) in try startServer() }) {
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
        signal(SIGPIPE, SIG_IGN)
        FileHandle.standardOutput.write(Data("serving \(server.root) at http://\(host):\(boundPort)/\n".utf8))
        server.run()
    }

    private func startServer() throws(ServerError) -> (StaticFileServer, Int) {
        let server = try StaticFileServer(.init(root: index, host: host, port: port)) { line in
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
        return (server, try server.start())
    }
}
