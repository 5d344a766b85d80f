import Foundation
@testable import PackageIndex
import XCTest

final class NotFoundHintTests: XCTestCase {
    func testNamesTheBuildsWhenMipAsksTheRoot() throws {
        let root = NSTemporaryDirectory() + "hint-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = #"{"path": "p", "size": 1, "sha256": "00"}"#
        let target = #"{"arch": "a", "abi": "6.3", "boards": "b", "micropython": "m", "bundle": "x"}"#
        try Data("""
            {"format": 1, "generator": "mpyforge", "targets": {"x64_6.3": \(target), "armv6m_6.3": \(target)},
             "packages": {"demo": {"latest": "1.0", "latest_by_target": {"armv6m_6.3": "1.0"},
                                   "versions": {"1.0": {"armv6m_6.3": \(file)}}}}}
            """.utf8).write(to: URL(fileURLWithPath: "\(root)/index.json"))

        let atRoot = NotFoundHint.body(forTarget: "/package/6/demo/latest.json?x=1", root: root)
        XCTAssertTrue(atRoot.hasPrefix("404 Not Found: /package/6/demo/latest.json\nThis is the root of an mpyforge index."), atRoot)
        XCTAssertTrue(atRoot.contains("mpremote mip install --index <this server>/armv6m_6.3 demo"), atRoot)
        XCTAssertFalse(atRoot.contains("<this server>/x64_6.3 demo"), atRoot)  // demo has no x64 build
        XCTAssertTrue(atRoot.contains("Builds here (each a mip index): armv6m_6.3, x64_6.3\n"), atRoot)

        let wrongBuild = NotFoundHint.body(forTarget: "/x64_6.3/package/6/demo/latest.json", root: root)
        XCTAssertTrue(wrongBuild.contains("demo is not published for x64_6.3; it is for: armv6m_6.3"), wrongBuild)
        XCTAssertTrue(NotFoundHint.body(forTarget: "/rv32imc_6.3/", root: root).contains("This index has no rv32imc_6.3 build."))
        XCTAssertEqual(NotFoundHint.body(forTarget: "/x", root: root + "/nowhere"), "404 Not Found: /x\n")
    }
}
