import Foundation
import XCTest
@testable import PackageIndex

/// The server over a real loopback socket, spoken to the way mip does: one HTTP/1.0 GET per
/// connection, then read to end of stream.
final class StaticFileServerTests: XCTestCase {
    private final class LogLines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    func testServesFilesRefusesTraversalAndStops() throws {
        let root = NSTemporaryDirectory() + "mpyforge-live-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: "\(root)/site", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = FileManager.default.createFile(atPath: "\(root)/site/a.json", contents: Data("{\"x\": 1}".utf8))
        _ = FileManager.default.createFile(atPath: "\(root)/secret", contents: Data("no".utf8))

        let log = LogLines()
        let server = try StaticFileServer(.init(root: "\(root)/site", port: 0)) { log.append($0) }
        let port = try server.start()
        let finished = expectation(description: "server stopped")
        Thread.detachNewThread {
            server.run()
            finished.fulfill()
        }

        let ok = try fetch(port, "GET /a.json HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        XCTAssertTrue(ok.hasPrefix("HTTP/1.1 200 OK\r\n"), ok)
        XCTAssertTrue(ok.contains("Content-Length: 8\r\n"), ok)
        XCTAssertTrue(ok.hasSuffix("\r\n\r\n{\"x\": 1}"), ok)
        XCTAssertTrue(try fetch(port, "GET /../secret HTTP/1.0\r\n\r\n").hasPrefix("HTTP/1.1 403 "))
        XCTAssertTrue(try fetch(port, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n").hasPrefix("HTTP/1.1 404 "))
        let post = try fetch(port, "POST /a.json HTTP/1.1\r\n\r\n")
        XCTAssertTrue(post.hasPrefix("HTTP/1.1 405 ") && post.contains("Allow: GET, HEAD"), post)
        let head = try fetch(port, "HEAD /a.json HTTP/1.0\r\n\r\n")
        XCTAssertTrue(head.hasSuffix("Content-Length: 8\r\nConnection: close\r\n\r\n"), head)

        server.stop()
        wait(for: [finished], timeout: 5)
        XCTAssertTrue(log.all.contains("127.0.0.1 \"GET /a.json HTTP/1.0\" 200 8"), "\(log.all)")
        XCTAssertTrue(log.all.contains("127.0.0.1 \"GET /../secret HTTP/1.0\" 403 14"), "\(log.all)")
    }

    func testRefusesNonIPv4HostAndMissingRoot() {
        XCTAssertThrowsError(try StaticFileServer(.init(root: "/nonexistent-\(UUID().uuidString)")) { _ in })
        XCTAssertThrowsError(try StaticFileServer(.init(root: NSTemporaryDirectory(), host: "localhost")) { _ in }.start())
    }

    private func fetch(_ port: Int, _ request: String) throws -> String {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(connected, 0)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
