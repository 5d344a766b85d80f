import Foundation
import IndexServer
import XCTest
@testable import PackageIndex

/// What the hostile review found in the thread-per-connection server, over real loopback
/// sockets: slow heads held every slot, overload answered with resets, control characters
/// reached the log raw, and --port 70000 bound another port.
final class ServerRobustnessTests: XCTestCase {
    private var root = ""
    private var server: StaticFileServer?
    private var stopped: XCTestExpectation?
    private let log = LogLines()

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "mpyforge-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: "\(root)/a.json", contents: Data("{\"x\": 1}".utf8)))
        XCTAssertTrue(FileManager.default.createFile(atPath: "\(root)/big.bin", contents: Data(repeating: 7, count: 700_000)))
    }

    override func tearDown() {
        server?.stop()
        if let stopped { wait(for: [stopped], timeout: 5) }
        try? FileManager.default.removeItem(atPath: root)
    }

    private func start(_ adjust: (inout StaticFileServer.Configuration) -> Void = { _ in }) throws -> Int {
        var configuration = StaticFileServer.Configuration(root: root, port: 0)
        adjust(&configuration)
        let log = self.log
        let server = try StaticFileServer(configuration) { log.append($0) }
        let port = try server.start()
        let stopped = expectation(description: "server stopped")
        Thread.detachNewThread {
            server.run()
            stopped.fulfill()
        }
        self.server = server
        self.stopped = stopped
        return port
    }

    func testKeepAliveAnswersPipelinedRequestsOnOneConnection() throws {
        let client = try LoopbackClient(port: try start())
        client.send("GET /a.json HTTP/1.1\r\nHost: x\r\n\r\nHEAD /a.json HTTP/1.1\r\nHost: x\r\n\r\n")
        client.send("GET /big.bin HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /a.json HTTP/1.1\r\nConnection: close\r\n\r\n")
        let reply = client.readToEnd()
        XCTAssertEqual(reply.components(separatedBy: "HTTP/1.1 200 OK\r\n").count - 1, 4, String(reply.prefix(600)))
        XCTAssertEqual(reply.components(separatedBy: "Connection: keep-alive\r\n").count - 1, 3)
        XCTAssertTrue(reply.hasSuffix("Connection: close\r\n\r\n{\"x\": 1}"))
        XCTAssertEqual(reply.utf8.filter { $0 == 7 }.count, 700_000, "the whole big file, once")
    }

    func testAFloodOfPipelinedRequestsIsAnsweredInOrder() throws {
        // More pipelined bytes than a head may have, queued behind a large response: the
        // server pauses reading instead of buffering them all, and answers every one.
        let client = try LoopbackClient(port: try start())
        client.send("GET /big.bin HTTP/1.1\r\n\r\n" + String(repeating: "GET /a.json HTTP/1.1\r\nHost: x\r\n\r\n", count: 2000)
                    + "GET /a.json HTTP/1.1\r\nConnection: close\r\n\r\n")
        let reply = client.readToEnd()
        XCTAssertEqual(reply.components(separatedBy: "{\"x\": 1}").count - 1, 2001)
        XCTAssertEqual(reply.utf8.filter { $0 == 7 }.count, 700_000)
    }

    func testAHeadThatTricklesInPastTheDeadlineGets408() throws {
        let client = try LoopbackClient(port: try start { $0.headTimeoutSeconds = 1 })
        let started = Date()
        client.send("GET /a.json HTTP/1.1\r\n")
        for _ in 0..<5 where !client.closedByPeer(waiting: 0.3) { client.send("X-Slow: 1\r\n") }
        let reply = client.readToEnd()
        XCTAssertTrue(reply.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), reply)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    }

    func testSlowClientsDoNotKeepOthersWaiting() throws {
        let port = try start()
        let slow = try (0..<300).map { _ in try LoopbackClient(port: port) }
        for client in slow { client.send("GET /a.json HTTP/1.1\r\nX-Slow: ") }
        let started = Date()
        for _ in 0..<20 {
            let client = try LoopbackClient(port: port)
            client.send("GET /a.json HTTP/1.0\r\n\r\n")
            XCTAssertTrue(client.readToEnd().hasSuffix("{\"x\": 1}"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2, "20 requests with 300 slow connections open")
    }

    func testOverTheConnectionLimitTheAnswerIsA503NotAReset() throws {
        let port = try start { $0.maximumConnections = 2 }
        let held = try (0..<2).map { _ in try LoopbackClient(port: port) }
        held.forEach { $0.send("GET /a") }
        Thread.sleep(forTimeInterval: 0.2)
        let extra = try LoopbackClient(port: port)
        extra.send("GET /a.json HTTP/1.1\r\nHost: x\r\n" + String(repeating: "X-Pad: 1\r\n", count: 200) + "\r\n")
        let reply = extra.readToEnd()
        XCTAssertTrue(reply.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"), "got \(reply.utf8.count) bytes: \(reply)")
        XCTAssertFalse(extra.sawReset)
    }

    func testRequestLinesReachTheLogWithControlCharactersEscaped() throws {
        let client = try LoopbackClient(port: try start())
        client.send("GET /\u{1b}[2J\u{1b}]0;owned\u{07} HTTP/1.0\r\n\r\n")
        XCTAssertTrue(client.readToEnd().hasPrefix("HTTP/1.1 404 "))
        Thread.sleep(forTimeInterval: 0.1)
        let line = try XCTUnwrap(log.all.last)
        XCTAssertFalse(line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }, line)
        XCTAssertTrue(line.contains("GET /\\x1b[2J\\x1b]0;owned\\x07 HTTP/1.0"), line)
    }

    func testAnOversizedHeadGets431() throws {
        let client = try LoopbackClient(port: try start())
        client.send("GET /a.json HTTP/1.1\r\n" + String(repeating: "X-Big: \(String(repeating: "y", count: 1000))\r\n", count: 20))
        let reply = client.readToEnd()
        XCTAssertTrue(reply.hasPrefix("HTTP/1.1 431 "), reply)
        XCTAssertFalse(client.sawReset)
    }

    func testPortsOutsideTheTCPRangeAreRefused() throws {
        for port in [70000, -1] {
            XCTAssertThrowsError(try StaticFileServer(.init(root: root, port: port)) { _ in }.start()) { error in
                XCTAssertEqual(error as? ServerError, .badPort(port))
            }
        }
    }
}
