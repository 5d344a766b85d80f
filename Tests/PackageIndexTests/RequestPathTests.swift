import XCTest
@testable import PackageIndex

final class RequestPathTests: XCTestCase {
    private var root = ""
    private var outside = ""

    override func setUpWithError() throws {
        let base = NSTemporaryDirectory() + "mpyforge-serve-\(UUID().uuidString)"
        let manager = FileManager.default
        try manager.createDirectory(atPath: "\(base)/site/x64_6.3/file/ab", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: "\(base)/site/empty", withIntermediateDirectories: true)
        _ = manager.createFile(atPath: "\(base)/site/index.html", contents: Data("<html>".utf8))
        _ = manager.createFile(atPath: "\(base)/site/x64_6.3/file/ab/abcdef12", contents: Data([1, 2, 3]))
        _ = manager.createFile(atPath: "\(base)/site/.hidden", contents: Data())
        _ = manager.createFile(atPath: "\(base)/secret.txt", contents: Data("secret".utf8))
        try manager.createSymbolicLink(atPath: "\(base)/site/escape", withDestinationPath: "\(base)/secret.txt")
        root = try XCTUnwrap(RequestPath.realPath("\(base)/site"))
        outside = base
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: outside) }

    private func resolve(_ target: String) -> RequestPath.Resolution { RequestPath.resolve(target, root: root) }

    func testServesFilesAndDirectoryIndexes() {
        XCTAssertEqual(resolve("/x64_6.3/file/ab/abcdef12"), .file(path: "\(root)/x64_6.3/file/ab/abcdef12", size: 3))
        XCTAssertEqual(resolve("/x64_6.3/file/ab/abcdef12?v=1"), .file(path: "\(root)/x64_6.3/file/ab/abcdef12", size: 3))
        XCTAssertEqual(resolve("/"), .file(path: "\(root)/index.html", size: 6))
        XCTAssertEqual(resolve("http://127.0.0.1:8000/index.html"), .file(path: "\(root)/index.html", size: 6))
        XCTAssertEqual(resolve("/x64%5F6.3/./file//ab/abcdef12"), .file(path: "\(root)/x64_6.3/file/ab/abcdef12", size: 3))
    }

    func testRefusesTraversal() {
        for target in ["/../secret.txt", "/x64_6.3/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
                       "/x64_6.3/..%2f..%2fsecret.txt", "/..\\secret.txt", "/escape"] {
            XCTAssertEqual(resolve(target), .refused(.forbidden), target)
        }
    }

    func testRefusesOddTargets() {
        XCTAssertEqual(resolve("secret.txt"), .refused(.badRequest))
        XCTAssertEqual(resolve("/%zz"), .refused(.badRequest))
        XCTAssertEqual(resolve("/%ff"), .refused(.badRequest))
        XCTAssertEqual(resolve("/a%00b"), .refused(.forbidden))
        XCTAssertEqual(resolve("/.hidden"), .refused(.notFound))
        XCTAssertEqual(resolve("/empty"), .refused(.notFound), "no directory listings")
        XCTAssertEqual(resolve("/missing.json"), .refused(.notFound))
    }

    func testParsesRequestHeads() {
        let head = HTTPRequestHead.parse(Array("GET /a/b HTTP/1.0\r\nHost: x\r\n\r\n".utf8))
        XCTAssertEqual(head, HTTPRequestHead(method: "GET", target: "/a/b", version: "HTTP/1.0"))
        XCTAssertNil(HTTPRequestHead.parse(Array("hello\r\n\r\n".utf8)))
        XCTAssertEqual(HTTPRequestHead.endOfHead(in: Array("GET / HTTP/1.1\r\nA: b\r\n\r\nrest".utf8)), 24)
        XCTAssertNil(HTTPRequestHead.endOfHead(in: Array("GET / HTTP/1.1\r\nA: b\r\n".utf8)))
    }
}
