import Foundation
import Inspector
import ModuleInstaller
import PackageIndex
import XCTest

final class BuildChooserTests: XCTestCase {
    /// A catalog as publish writes it: demo 1.0 for armv6m_6.3 and x64_6.2; demo 2.0 for armv7emsp_6.3 only.
    private func catalog() throws -> IndexCatalog {
        let file = #"{"path": "p", "size": 1, "sha256": "00"}"#
        let json = """
            {"format": 1, "generator": "mpyforge", "targets": {}, "packages": {"demo": {
              "latest": "2.0",
              "latest_by_target": {"armv6m_6.3": "1.0", "x64_6.2": "1.0", "armv7emsp_6.3": "2.0"},
              "versions": {"1.0": {"armv6m_6.3": \(file), "x64_6.2": \(file)}, "2.0": {"armv7emsp_6.3": \(file)}}}}}
            """
        return try JSONDecoder().decode(IndexCatalog.self, from: Data(json.utf8))
    }

    private func target(_ name: String) throws -> InstallTarget { InstallTarget(load: try LoadTarget(parsing: name)) }

    private func choose(_ request: String, for name: String) throws -> BuildChoice {
        try BuildChooser.choose(try PackageRequest(parsing: request), in: try catalog(), address: "http://h", for: try target(name))
    }

    func testPicksTheBoardsOwnArchThenOlderThumb() throws {
        XCTAssertEqual(try choose("demo", for: "armv7emsp_6.3").build.name, "armv7emsp_6.3")
        XCTAssertEqual(try choose("demo", for: "armv7emdp_6.3").build.name, "armv7emsp_6.3")
        let older = try choose("demo", for: "armv7m_6.3")
        XCTAssertEqual(older.build.name, "armv6m_6.3")
        XCTAssertEqual(older.version, "1.0")
        XCTAssertFalse(older.versionRequested)
        XCTAssertEqual(older.request.description, "demo")
    }

    func testARequestedVersionLimitsTheBuilds() throws {
        let choice = try choose("demo@1.0", for: "armv7emsp_6.3")
        XCTAssertEqual(choice.build.name, "armv6m_6.3")
        XCTAssertEqual(choice.request.description, "demo@1.0")
        XCTAssertThrowsError(try choose("demo@3.0", for: "x64_6.2")) { error in
            XCTAssertEqual("\(error)", "demo has no version 3.0; published versions: 1.0, 2.0")
        }
    }

    func testNoFitNamesEachBuildsReason() throws {
        XCTAssertThrowsError(try choose("demo", for: "x64_6.3")) { error in
            XCTAssertEqual("\(error)", """
                no build of demo fits: the target runs x64 code, .mpy ABI 6.3 (MicroPython 1.23 and later)
                  armv6m_6.3: armv6m code, which a target running x64 code cannot load
                  armv7emsp_6.3: armv7emsp code, which a target running x64 code cannot load
                  x64_6.2: ABI 6.2 is for MicroPython 1.22; the target needs ABI 6.3 (MicroPython 1.23 and later)
                fix: the maintainer can add it: mpyforge build --arch x64 --abi 6.3, then mpyforge publish
                """)
        }
        XCTAssertThrowsError(try choose("nothing", for: "x64_6.3")) { error in
            XCTAssertEqual("\(error)", "http://h has no package nothing; it has: demo")
        }
    }

    func testFirmwareWithoutNativeCodeOrWithAnOldABIIsExplained() throws {
        let bytecodeOnly = InstallTarget(load: LoadTarget(sysImplementationMPY: 6 | 3 << 8), micropythonVersion: "1.24.0")
        XCTAssertThrowsError(try BuildChooser.choose(PackageRequest(name: "demo"), in: try catalog(), address: "h", for: bytecodeOnly)) { error in
            XCTAssertTrue("\(error)".hasPrefix("no build of demo fits: the target runs no native code, .mpy ABI 6.3 (MicroPython 1.24.0)"), "\(error)")
            XCTAssertTrue("\(error)".contains("fix: this firmware was built without native code support"), "\(error)")
        }
        let old = InstallTarget(load: LoadTarget(sysImplementationMPY: 6 | (1 | 7 << 2) << 8), micropythonVersion: "1.21.0")
        XCTAssertThrowsError(try BuildChooser.choose(PackageRequest(name: "demo"), in: try catalog(), address: "h", for: old)) { error in
            XCTAssertTrue("\(error)".contains("armv7emsp_6.3: ABI 6.3 is for MicroPython 1.23 and later; the target needs ABI 6.1 (MicroPython 1.20-1.21)"), "\(error)")
            XCTAssertTrue("\(error)".contains("fix: mpyforge builds ABI 6.3 (MicroPython 1.23 and later), 6.2 (MicroPython 1.22); update the board's MicroPython"), "\(error)")
        }
    }

    func testPackageRequestsAreChecked() throws {
        XCTAssertEqual(try PackageRequest(parsing: "emlearn_trees@0.2.0+b1"), PackageRequest(name: "emlearn_trees", version: "0.2.0+b1"))
        for bad in ["", "1abc", "a-b", "a@", "a@b c", "a/b"] {
            XCTAssertThrowsError(try PackageRequest(parsing: bad), bad)
        }
    }

    func testIndexAddressesGoBackToTheRoot() throws {
        let build = try IndexAddress.open("http://127.0.0.1:8000/mods/xtensawin_6.3/")
        XCTAssertEqual(build.source.address, "http://127.0.0.1:8000/mods")
        XCTAssertEqual(build.strippedBuild?.name, "xtensawin_6.3")
        XCTAssertTrue(build.source.isWebAddress)
        let page = try IndexAddress.open("https://me.github.io/mods/index.html")
        XCTAssertEqual(page.source.address, "https://me.github.io/mods")
        XCTAssertNil(page.strippedBuild)
        XCTAssertFalse(try IndexAddress.open(NSTemporaryDirectory()).source.isWebAddress)
        for bad in ["ftp://host/mods", "http://", "/no/such/index/dir", "http://host/a b"] {
            XCTAssertThrowsError(try IndexAddress.open(bad), bad)
        }
    }
}
