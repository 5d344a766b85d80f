import Digest
import XCTest
@testable import PackageIndex

final class PublisherTests: XCTestCase {
    private var fixture: IndexFixture!
    private let first = IndexFixture.fixtureBytes("native_features0.mpy")
    private let second = IndexFixture.fixtureBytes("native_features1.mpy")

    override func setUp() { fixture = IndexFixture() }
    override func tearDown() { fixture.cleanUp() }

    func testWritesOneMipIndexPerTarget() throws {
        XCTAssertFalse(first.isEmpty, "fixture missing")
        let dist = fixture.dist("dist", ["demo": first])
        let result = try Publisher.publish(fixture.request(dist, version: "0.1.0", baseURL: "https://example.org/mods/"))
        XCTAssertEqual(result.entries.map(\.name), ["demo"])

        let short = String(SHA256.hex(first).prefix(8))
        let expected = MipPackage(hashes: [["demo.mpy", short]], version: "0.1.0")
        XCTAssertEqual(fixture.mipPackage("x64_6.3/package/6/demo/0.1.0.json"), expected)
        XCTAssertEqual(fixture.mipPackage("x64_6.3/package/6/demo/latest.json"), expected)
        XCTAssertEqual(FileManager.default.contents(atPath: "\(fixture.index)/x64_6.3/file/\(short.prefix(2))/\(short)"), Data(first))
        XCTAssertEqual(FileManager.default.contents(atPath: "\(fixture.index)/x64_6.3/demo.mpy"), Data(first))
        XCTAssertEqual(fixture.mipPackage("x64_6.3/package.json")?.urls, [["demo.mpy", "demo.mpy"]])

        let installer = try XCTUnwrap(fixture.text("mpyforge_install.py"))
        XCTAssertTrue(installer.contains("BASE_URL = \"https://example.org/mods\""))
        XCTAssertTrue(installer.contains("TARGETS = \"x64_6.3\".split()"))
        XCTAssertNotNil(fixture.mipPackage("package/6/mpyforge_install/latest.json"))
        XCTAssertNotNil(fixture.mipPackage("package/py/mpyforge_install/latest.json"))
        XCTAssertEqual(fixture.mipPackage("package.json")?.urls, [["mpyforge_install.py", "mpyforge_install.py"]])

        let catalog = try IndexJSON.decode(IndexCatalog.self, at: "\(fixture.index)/index.json")
        XCTAssertEqual(catalog.baseURL, "https://example.org/mods")
        XCTAssertEqual(catalog.packages["demo"]?.versions["0.1.0"]?["x64_6.3"]?.size, first.count)
        XCTAssertEqual(catalog.targets["x64_6.3"]?.micropython, "MicroPython 1.23 and later")
        let page = try XCTUnwrap(fixture.text("index.html"))
        XCTAssertTrue(page.contains("mpremote mip install --index https://example.org/mods/x64_6.3 demo"))
        XCTAssertTrue(IndexVerifier.verify(fixture.index).isClean)
    }

    func testBaseURLWithAPlaceholderIsInsertedAsWritten() throws {
        // The base URL is one value: "{{targets}}" in it is the user's text, not a second placeholder.
        let dist = fixture.dist("dist", ["demo": first])
        _ = try Publisher.publish(fixture.request(dist, version: "0.1.0", baseURL: "https://example.org/{{targets}}/{{base_url}}"))
        let installer = try XCTUnwrap(fixture.text("mpyforge_install.py"))
        XCTAssertTrue(installer.contains("BASE_URL = \"https://example.org/{{targets}}/{{base_url}}\""), installer)
        XCTAssertTrue(installer.contains("TARGETS = \"x64_6.3\".split()"), installer)
    }

    func testNewVersionKeepsOldOneAndMovesLatest() throws {
        _ = try Publisher.publish(fixture.request(fixture.dist("dist1", ["demo": first]), version: "1.0"))
        _ = try Publisher.publish(fixture.request(fixture.dist("dist2", ["demo": second]), version: "2.0"))

        XCTAssertEqual(fixture.mipPackage("x64_6.3/package/6/demo/1.0.json")?.hashes?.first?[1], String(SHA256.hex(first).prefix(8)))
        XCTAssertEqual(fixture.mipPackage("x64_6.3/package/6/demo/latest.json"), fixture.mipPackage("x64_6.3/package/6/demo/2.0.json"))
        XCTAssertEqual(FileManager.default.contents(atPath: "\(fixture.index)/x64_6.3/demo.mpy"), Data(second))
        let catalog = try IndexJSON.decode(IndexCatalog.self, at: "\(fixture.index)/index.json")
        XCTAssertEqual(catalog.packages["demo"]?.latest, "2.0")
        XCTAssertEqual(catalog.packages["demo"]?.versions.keys.sorted(), ["1.0", "2.0"])
        XCTAssertTrue(IndexVerifier.verify(fixture.index).isClean)
    }

    func testIndexJSONRecordsThePublishingToolsVersion() throws {
        let dist = fixture.dist("dist", ["demo": first])
        var request = fixture.request(dist, version: "1.0")
        request.generatorVersion = "9.8.7"
        _ = try Publisher.publish(request)
        XCTAssertTrue(fixture.text("index.json")?.contains("\"generator_version\" : \"9.8.7\"") == true)
        XCTAssertEqual(try IndexJSON.decode(IndexCatalog.self, at: "\(fixture.index)/index.json").generatorVersion, "9.8.7")
    }

    func testFailedPublishLeavesPreviousIndexIntact() throws {
        _ = try Publisher.publish(fixture.request(fixture.dist("dist1", ["demo": first]), version: "1.0"))
        let before = fixture.snapshot()
        let late = IndexError.unwritable(path: "staging", detail: "disk full")
        XCTAssertThrowsError(try Publisher.publish(fixture.request(fixture.dist("dist2", ["demo": second]), version: "2.0"),
                                                   beforeSwap: { _ throws(IndexError) in throw late })) { error in
            XCTAssertEqual(error as? IndexError, late)
        }
        XCTAssertEqual(fixture.snapshot(), before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.directory).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "staging trees must not be left behind")
    }

    /// `site -> real`: the swap must act on `real`, so a failed (or killed) publish leaves it
    /// whole and a finished one leaves the link in place.
    private func symlinkedIndex() throws -> String {
        let real = "\(fixture.directory)/real"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: fixture.index, withDestinationPath: real)
        return real
    }

    func testFailedPublishThroughASymlinkLeavesTheIndexIntact() throws {
        let real = try symlinkedIndex()
        _ = try Publisher.publish(fixture.request(fixture.dist("dist1", ["demo": first]), version: "1.0"))
        let before = fixture.snapshot(of: real)
        XCTAssertFalse(before.isEmpty)
        let late = IndexError.unwritable(path: "staging", detail: "killed")
        XCTAssertThrowsError(try Publisher.publish(fixture.request(fixture.dist("dist2", ["demo": second]), version: "2.0"),
                                                   beforeSwap: { _ throws(IndexError) in throw late }))
        XCTAssertEqual(fixture.snapshot(of: real), before, "the live index changed before the swap")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: fixture.index), real)
        XCTAssertTrue(IndexVerifier.verify(fixture.index).isClean)
    }

    func testPublishThroughASymlinkSwapsTheDirectoryAndKeepsTheLink() throws {
        let real = try symlinkedIndex()
        _ = try Publisher.publish(fixture.request(fixture.dist("dist1", ["demo": first]), version: "1.0"))
        let result = try Publisher.publish(fixture.request(fixture.dist("dist2", ["demo": second]), version: "2.0"))
        XCTAssertEqual(result.index, URL(fileURLWithPath: real).resolvingSymlinksInPath().path)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: fixture.index), real)
        XCTAssertEqual(FileManager.default.contents(atPath: "\(real)/x64_6.3/demo.mpy"), Data(second))
        XCTAssertTrue(IndexVerifier.verify(fixture.index).isClean)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.directory).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [])
    }

    func testRefusesDanglingIndexLinkAndLinksInsideTheIndex() throws {
        try FileManager.default.createSymbolicLink(atPath: fixture.index, withDestinationPath: "\(fixture.directory)/nowhere")
        XCTAssertThrowsError(try Publisher.publish(fixture.request(fixture.dist("dist1", ["demo": first]), version: "1.0"))) { error in
            guard case .danglingLink = error as? IndexError else { return XCTFail("\(error)") }
        }
        try FileManager.default.removeItem(atPath: fixture.index)
        _ = try Publisher.publish(fixture.request(fixture.dist("dist1", ["demo": first]), version: "1.0"))
        let outside = "\(fixture.directory)/outside.mpy"
        XCTAssertTrue(FileManager.default.createFile(atPath: outside, contents: Data("mine".utf8)))
        try FileManager.default.removeItem(atPath: "\(fixture.index)/x64_6.3/demo.mpy")
        try FileManager.default.createSymbolicLink(atPath: "\(fixture.index)/x64_6.3/demo.mpy", withDestinationPath: outside)
        XCTAssertThrowsError(try Publisher.publish(fixture.request(fixture.dist("dist2", ["demo": second]), version: "2.0"))) { error in
            guard case .linkInsideIndex = error as? IndexError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(FileManager.default.contents(atPath: outside), Data("mine".utf8))
    }

    func testBadModuleFailsBeforeTouchingIndex() throws {
        _ = try Publisher.publish(fixture.request(fixture.dist("dist1", ["demo": first]), version: "1.0"))
        let before = fixture.snapshot()
        let wrongArch = fixture.dist("dist2", ["demo": second], target: "xtensawin_6.3")
        XCTAssertThrowsError(try Publisher.publish(fixture.request(wrongArch, version: "2.0"))) { error in
            guard case .wrongDirectory = error as? IndexError else { return XCTFail("\(error)") }
        }
        let notMPY = fixture.dist("dist3", ["demo": Array("print(1)".utf8)])
        XCTAssertThrowsError(try Publisher.publish(fixture.request(notMPY, version: "2.0")))
        XCTAssertEqual(fixture.snapshot(), before)
    }

    func testRefusesToPublishOverSomethingElse() throws {
        try FileManager.default.createDirectory(atPath: fixture.index, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: "\(fixture.index)/notes.txt", contents: Data("mine".utf8)))
        XCTAssertThrowsError(try Publisher.publish(fixture.request(fixture.dist("dist", ["demo": first]), version: "1.0"))) { error in
            guard case .notAnIndex = error as? IndexError else { return XCTFail("\(error)") }
        }
    }

    func testVersionsAndBaseURLsAreChecked() {
        for bad in ["", "latest", "../x", "a/b", ".hidden", "1 0"] {
            XCTAssertThrowsError(try PackageVersion.validate(bad), bad)
        }
        XCTAssertNoThrow(try PackageVersion.validate("1.2.3-rc.1+build_7"))
        XCTAssertThrowsError(try Publisher.normalizedBaseURL("ftp://x"))
        XCTAssertThrowsError(try Publisher.normalizedBaseURL("https://x/\"; import os"))
        XCTAssertEqual(try Publisher.normalizedBaseURL("http://host:8000/"), "http://host:8000")
    }
}
