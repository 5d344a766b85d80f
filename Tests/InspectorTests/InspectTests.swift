import MPYFormat
import XCTest
@testable import Inspector

final class InspectTests: XCTestCase {
    func testEveryFixtureInspectsWithAndWithoutDisassembly() throws {
        let names = try InspectorFixtures.mpyNames()
        XCTAssertGreaterThanOrEqual(names.count, 10)
        for name in names {
            let bytes = try InspectorFixtures.bytes(name)
            let plain = try Inspector.inspect(bytes)
            let full = try Inspector.inspect(bytes, disassemble: true)
            XCTAssertEqual(plain.fileSize, bytes.count, name)
            XCTAssertFalse(plain.codes.isEmpty, name)
            for code in full.codes where code.native != nil && full.notes.isEmpty {
                XCTAssertFalse(code.native!.disassembly!.isEmpty, "\(name) \(code.path)")
            }
            XCTAssertFalse(try InspectionJSON.encode(full).isEmpty)
            XCTAssertTrue(InspectionText.render(full, fileName: name).contains("qstrs ("), name)
        }
    }

    func testMPYForgeX64ModuleHeaderAndRelocations() throws {
        let report = try Inspector.inspect(try InspectorFixtures.bytes("mpyforge_x64.mpy"), disassemble: true)
        XCTAssertEqual(report.header.arch, "x64")
        XCTAssertEqual(report.header.abi, "6.3")
        XCTAssertEqual(report.header.archCode, 2)
        XCTAssertEqual(report.header.smallIntBits, 31)
        XCTAssertNil(report.header.archFlags)
        XCTAssertEqual(report.header.content, "native")
        // A merged file: bytecode top level running the native module and the Python helpers.
        XCTAssertEqual(report.codes.first?.kind, "bytecode")
        let viper = try XCTUnwrap(report.codes.first { $0.kind == "viper" }?.native)
        XCTAssertTrue(viper.scopeFlagNames.contains("viperreloc"))
        XCTAssertGreaterThan(viper.textSize, 1000)
        XCTAssertTrue(viper.relocations.contains { $0.kind == "fun_table" && $0.target == "mp_fun_table" })
        XCTAssertTrue(viper.relocations.contains { $0.entry == 73 && $0.target == "mp_fun_table[73] type_type" })
        let lines = try XCTUnwrap(viper.disassembly)
        XCTAssertTrue(lines.contains { $0.text.hasPrefix("push") })
        XCTAssertTrue(lines.contains { $0.notes.contains("-> mp_fun_table") })
        XCTAssertTrue(lines.contains { $0.text.hasPrefix(".word") && $0.notes.first?.hasPrefix("relocated: mp_fun_table[") == true })
        XCTAssertFalse(lines.contains { $0.text == "(undecodable)" })
    }

    func testThumbCodeDecodesAsThumb() throws {
        for name in ["mpyforge_armv7emsp.mpy", "mpyforge_armv6m.mpy", "mpy_ld_armv7emsp.mpy"] {
            let report = try Inspector.inspect(try InspectorFixtures.bytes(name), disassemble: true)
            let lines = try XCTUnwrap(report.codes.first { $0.kind == "viper" }?.native?.disassembly, name)
            XCTAssertTrue(lines.contains { $0.text.hasPrefix("push") && $0.text.contains("lr") }, name)
            XCTAssertTrue(lines.contains { $0.notes.contains { $0.hasPrefix("-> mp_fun_table") } }, name)
            XCTAssertFalse(lines.contains { $0.text == "(undecodable)" }, name)
        }
    }

    func testUpstreamLinkerOutputHasRodataOrBSSAndNamedEntries() throws {
        let report = try Inspector.inspect(try InspectorFixtures.bytes("mpy_ld_x64.mpy"))
        XCTAssertEqual(report.header.arch, "x64")
        let native = try XCTUnwrap(report.codes.first?.native)
        XCTAssertEqual(report.codes.first?.kind, "viper")
        XCTAssertNotNil(native.bssSize)
        XCTAssertTrue(native.relocations.contains { $0.target.hasSuffix("type_fun_builtin_1") })
    }

    func testBytecodeFromMPYCross() throws {
        let report = try Inspector.inspect(try InspectorFixtures.bytes("tiny_bytecode.mpy"), disassemble: true)
        XCTAssertEqual(report.header.content, "bytecode")
        XCTAssertEqual(report.header.archCode, 0)
        XCTAssertNil(report.header.arch)
        XCTAssertEqual(report.codes.map(\.path), ["0", "0.0"])
        let add = try XCTUnwrap(report.codes.last)
        XCTAssertEqual(add.name, "add")
        XCTAssertEqual(add.bytecode?.argNames, ["a", "b"])
        XCTAssertEqual(add.bytecode?.defaultArgs, 1)
        XCTAssertTrue(report.notes.isEmpty)
    }

    func testNativeAndViperFromMPYCross() throws {
        let report = try Inspector.inspect(try InspectorFixtures.bytes("emitters_rv32imc.mpy"), disassemble: true)
        XCTAssertEqual(report.header.arch, "rv32imc")
        XCTAssertEqual(Set(report.codes.map(\.kind)), ["bytecode", "native", "viper"])
        let scaled = try XCTUnwrap(report.codes.first { $0.name == "scaled" }?.native)
        XCTAssertNotNil(scaled.preludeOffset)
        XCTAssertEqual(scaled.disassembly?.last?.text.hasPrefix("(prelude"), true)
        XCTAssertTrue(scaled.disassembly!.contains { $0.text.hasPrefix("jalr") })
    }

    func testXtensaUsesObjdumpWhenPresent() throws {
        guard XtensaObjdump.find() != nil else {
            throw XCTSkip("xtensa-lx106-elf-objdump not installed (binutils-xtensa-lx106)")
        }
        let report = try Inspector.inspect(try InspectorFixtures.bytes("emitters_xtensa.mpy"), disassemble: true)
        XCTAssertTrue(report.notes.isEmpty, "\(report.notes)")
        let lines = try XCTUnwrap(report.codes.first { $0.kind == "viper" }?.native?.disassembly)
        XCTAssertTrue(lines.contains { $0.text.hasPrefix("ret") })
    }

    func testJSONUsesSnakeCaseAndSchemaName() throws {
        let data = try InspectionJSON.encode(try Inspector.inspect(try InspectorFixtures.bytes("mpyforge_armv6m.mpy")))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["schema"] as? String, "mpyforge-inspect/1")
        let header = try XCTUnwrap(object["header"] as? [String: Any])
        XCTAssertEqual(header["arch"] as? String, "armv6m")
        XCTAssertEqual(header["sub_version"] as? Int, 3)
        XCTAssertEqual(header["small_int_bits"] as? Int, 31)
    }

    func testMalformedFilesReportTheOffset() {
        XCTAssertThrowsError(try Inspector.inspect([0x4D, 0x05, 0, 31])) { error in
            XCTAssertEqual((error as? MPYDecodeError)?.offset, 1)
            XCTAssertEqual("\(error)", "offset 1: expected .mpy version 6, found 5")
        }
        XCTAssertThrowsError(try Inspector.inspect(Array("hello".utf8))) { error in
            XCTAssertEqual((error as? MPYDecodeError)?.offset, 0)
        }
    }
}
