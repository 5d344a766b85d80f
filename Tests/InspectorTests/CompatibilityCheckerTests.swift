import MPYFormat
import XCTest
@testable import Inspector

final class CompatibilityCheckerTests: XCTestCase {
    private func header(_ name: String) throws -> MPYHeaderFacts {
        try MPYHeaderFacts(try InspectorFixtures.bytes(name))
    }

    private func target(_ text: String) throws -> LoadTarget {
        try LoadTarget(parsing: text)
    }

    func testMatchingTargetLoads() throws {
        let verdict = CompatibilityChecker.check(try header("mpyforge_x64.mpy"), against: try target("x64_6.3"))
        XCTAssertTrue(verdict.loads)
        XCTAssertEqual(verdict.problems, [])
        XCTAssertEqual(verdict.advice, [])
        XCTAssertEqual(verdict.file, "native x64 code for .mpy 6.3 (MicroPython 1.23 and later)")
    }

    func testWrongArchIsExplainedWithRebuildAdvice() throws {
        let verdict = CompatibilityChecker.check(try header("mpyforge_x64.mpy"), against: try target("armv7emsp_6.3"))
        XCTAssertFalse(verdict.loads)
        XCTAssertEqual(verdict.problems, ["the file holds native code for x64; the firmware runs armv7emsp"])
        XCTAssertEqual(verdict.suitableBuilds, ["armv7emsp_6.3", "armv7m_6.3", "armv6m_6.3"])
        XCTAssertTrue(verdict.advice[0].contains("mpyforge build --arch armv7emsp --abi 6.3"))
    }

    func testWrongABIIsExplained() throws {
        let verdict = CompatibilityChecker.check(try header("mpyforge_x64.mpy"), against: try target("x64_6.2"))
        XCTAssertFalse(verdict.loads)
        XCTAssertEqual(verdict.problems.count, 1)
        XCTAssertTrue(verdict.problems[0].contains("ABI 6.3"))
        XCTAssertTrue(verdict.problems[0].contains("MicroPython 1.22"))
    }

    func testOlderThumbCodeRunsOnNewerCoresButNotTheOtherWay() throws {
        let down = CompatibilityChecker.check(try header("mpyforge_armv6m.mpy"), against: try target("armv7emdp_6.3"))
        XCTAssertTrue(down.loads)
        XCTAssertEqual(down.remarks.count, 1)
        let up = CompatibilityChecker.check(try header("mpyforge_armv7emsp.mpy"), against: try target("armv6m_6.3"))
        XCTAssertFalse(up.loads)
        XCTAssertTrue(up.problems[0].contains("newer ARM core"))
    }

    func testBytecodeLoadsOnEveryVersion6Firmware() throws {
        for text in ["x64_6.3", "armv6m_6.2", "rv32imc_6.3"] {
            XCTAssertTrue(CompatibilityChecker.check(try header("bytecode_helpers.mpy"), against: try target(text)).loads, text)
        }
        let noNative = LoadTarget(version: 6, subVersion: 1, archCode: 0, archFlags: nil)
        XCTAssertTrue(CompatibilityChecker.check(try header("tiny_bytecode.mpy"), against: noNative).loads)
    }

    func testOldFormatVersionIsNamedWithItsReleases() throws {
        let old = try MPYHeaderFacts([0x4D, 5, 0, 31, 0])
        let verdict = CompatibilityChecker.check(old, against: try target("x64_6.3"))
        XCTAssertFalse(verdict.loads)
        XCTAssertEqual(verdict.problems, ["the file is .mpy version 5 (MicroPython 1.12-1.18); the firmware reads only version 6 (MicroPython 1.23 and later)"])
        XCTAssertTrue(verdict.advice[0].contains("mpy-cross"))
    }

    func testFirmwareWithoutNativeSupport() throws {
        let noNative = LoadTarget(sysImplementationMPY: 0x0306)
        XCTAssertEqual(noNative.archCode, 0)
        let verdict = CompatibilityChecker.check(try header("mpyforge_armv6m.mpy"), against: noNative)
        XCTAssertFalse(verdict.loads)
        XCTAssertTrue(verdict.problems[0].contains("without native code support"))
        XCTAssertTrue(verdict.advice[0].contains("pure-Python"))
    }

    func testRISCVExtensionsAgainstFirmwareFlags() throws {
        // Feature byte: arch 11 (rv32imc) << 2 | sub-version 3 | arch flags present; flags zba+zcmp.
        let file = try MPYHeaderFacts([0x4D, 6, 0x40 | 11 << 2 | 3, 31, 3])
        XCTAssertEqual(file.archFlags, 3)
        let zbaOnly = LoadTarget(sysImplementationMPY: 1 << 16 | Int(11 << 2 | 3) << 8 | 6)
        let refused = CompatibilityChecker.check(file, against: zbaOnly)
        XCTAssertEqual(refused.problems, ["the file uses RISC-V extensions the firmware does not enable: zcmp"])
        let both = LoadTarget(sysImplementationMPY: 3 << 16 | Int(11 << 2 | 3) << 8 | 6)
        XCTAssertTrue(CompatibilityChecker.check(file, against: both).loads)
        let unknown = CompatibilityChecker.check(file, against: try target("rv32imc_6.3"))
        XCTAssertTrue(unknown.loads)
        XCTAssertEqual(unknown.remarks.count, 1)
        XCTAssertFalse(CompatibilityChecker.check(file, against: try target("x64_6.3")).loads)
    }

    func testSysImplementationMPYOfTheUnixPort() {
        let unix = LoadTarget(sysImplementationMPY: 0x0B06)
        XCTAssertEqual(unix.version, 6)
        XCTAssertEqual(unix.subVersion, 3)
        XCTAssertEqual(unix.arch, .x64)
        XCTAssertNil(unix.archFlags)
        XCTAssertEqual(unix.description, "x64_6.3")
    }

    func testTargetParsing() throws {
        XCTAssertEqual(try target("armv7emsp_6.3").arch, .armv7emsp)
        XCTAssertThrowsError(try target("x64")) { XCTAssertEqual($0 as? LoadTargetError, .malformedTarget("x64")) }
        XCTAssertThrowsError(try target("arm_6.3")) { XCTAssertEqual($0 as? LoadTargetError, .unknownArch("arm")) }
        XCTAssertThrowsError(try target("x64_6")) { XCTAssertEqual($0 as? LoadTargetError, .malformedABI("6")) }
    }

    func testHeaderFactsErrors() {
        XCTAssertThrowsError(try MPYHeaderFacts([0x4D, 6])) { XCTAssertEqual(($0 as? MPYDecodeError)?.offset, 2) }
        XCTAssertThrowsError(try MPYHeaderFacts([0x4C, 6, 0, 31])) { XCTAssertEqual(($0 as? MPYDecodeError)?.offset, 0) }
        XCTAssertThrowsError(try MPYHeaderFacts([0x4D, 6, 0x40, 31, 0x80])) { XCTAssertEqual(($0 as? MPYDecodeError)?.offset, 5) }
    }
}
