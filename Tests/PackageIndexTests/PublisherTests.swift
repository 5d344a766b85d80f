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
        _ = FileManager.default.createFile(atPath: "\(fixture.index)/notes.txt", contents: Data("mine".utf8))
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
