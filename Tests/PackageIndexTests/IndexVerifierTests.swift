import XCTest
@testable import PackageIndex

final class IndexVerifierTests: XCTestCase {
    private var fixture: IndexFixture!

    override func setUp() {
        fixture = IndexFixture()
        let dist = fixture.dist("dist", ["demo": IndexFixture.fixtureBytes("native_features0.mpy")])
        XCTAssertNoThrow(try Publisher.publish(fixture.request(dist, version: "1.0")))
    }

    override func tearDown() { fixture.cleanUp() }

    private func contentFile() throws -> String {
        let files = FileTree.allFiles(under: "\(fixture.index)/x64_6.3").filter { $0.hasPrefix("file/") }
        return "\(fixture.index)/x64_6.3/\(try XCTUnwrap(files.first))"
    }

    func testCleanIndexVerifies() {
        let report = IndexVerifier.verify(fixture.index)
        XCTAssertEqual(report.problems, [])
        XCTAssertGreaterThanOrEqual(report.filesHashed, 3)
    }

    func testCatchesCorruptedContentFile() throws {
        let path = try contentFile()
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: path))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        let problems = IndexVerifier.verify(fixture.index).problems
        XCTAssertTrue(problems.contains { $0.path.hasPrefix("x64_6.3/file/") && $0.message.contains("hashes to") }, "\(problems)")
    }

    func testThroughASymlinkEveryContentFileIsStillHashed() throws {
        // A stray content file is found only by walking the tree; through a link to the
        // index the walk used to see nothing, and verify said "clean".
        let stray = "\(fixture.index)/x64_6.3/file/00/00000000"
        try FileManager.default.createDirectory(atPath: (stray as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("not its hash".utf8).write(to: URL(fileURLWithPath: stray))
        let link = "\(fixture.directory)/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fixture.index)
        let direct = IndexVerifier.verify(fixture.index)
        let linked = IndexVerifier.verify(link)
        XCTAssertTrue(linked.problems.contains { $0.path == "x64_6.3/file/00/00000000" }, "\(linked.problems)")
        XCTAssertEqual(linked.problems, direct.problems)
        XCTAssertEqual(linked.filesHashed, direct.filesHashed)
    }

    func testCatchesReplacedPlainModuleAndMissingFiles() throws {
        try Data("junk".utf8).write(to: URL(fileURLWithPath: "\(fixture.index)/x64_6.3/demo.mpy"))
        try FileManager.default.removeItem(atPath: "\(fixture.index)/x64_6.3/package/6/demo/1.0.json")
        let paths = IndexVerifier.verify(fixture.index).problems.map(\.path)
        XCTAssertTrue(paths.contains("x64_6.3/demo.mpy"), "\(paths)")
        XCTAssertTrue(paths.contains("x64_6.3/package/6/demo/1.0.json"), "\(paths)")
    }

    func testNoCatalogIsOneProblem() throws {
        try FileManager.default.removeItem(atPath: "\(fixture.index)/index.json")
        XCTAssertEqual(IndexVerifier.verify(fixture.index).problems.map(\.path), ["index.json"])
    }
}
