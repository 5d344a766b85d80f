@testable import BuildSystem
import MPYFormat
import Toolchain
import XCTest

final class ManifestParserTests: XCTestCase {
    func parse(_ text: String) throws -> ModuleManifest {
        try ManifestParser.parse(text, directory: "/m", file: "module.toml")
    }

    func testFullManifest() throws {
        let manifest = try parse("""
            # a comment
            name = 'emlearn_cnn'   # a literal string, trailing comment
            sources = [
                "cnn.c",
                "extra.py",
            ]
            include = ["emlearn", "inc"]
            defines = ["A=1"]
            libraries = ["lib/libdsp.a"]
            cflags = [\"\"\"-Wno-unused-function\"\"\"]

            [variants.fp32]
            name = "emlearn_cnn_fp32"
            defines = ["CNN_FP32=1"]

            [variants.int8]
            defines = ["CNN_INT8=1"]

            [arch.armv6m]
            cflags = ["-O2"]
            sources = ["thumb.S"]
            defines = ["SLOW_MUL=1"]
            float = false
            """)
        XCTAssertEqual(manifest.name, "emlearn_cnn")
        XCTAssertEqual(manifest.cSources(for: .x64), ["cnn.c"])
        XCTAssertEqual(manifest.cSources(for: .armv6m), ["cnn.c", "thumb.S"])
        XCTAssertEqual(manifest.pythonSources(for: .x64), ["extra.py"])
        XCTAssertEqual(manifest.includes, ["emlearn", "inc"])
        XCTAssertEqual(manifest.libraries, ["lib/libdsp.a"])
        XCTAssertEqual(manifest.cflags, ["-Wno-unused-function"])
        XCTAssertEqual(manifest.outputs.map(\.name), ["emlearn_cnn_fp32", "emlearn_cnn_int8"])
        XCTAssertEqual(manifest.outputs[1].defines, ["CNN_INT8=1"])
        XCTAssertEqual(manifest.arch[.armv6m]?.cflags, ["-O2"])
        XCTAssertEqual(manifest.arch[.armv6m]?.defines, ["SLOW_MUL=1"])
        XCTAssertEqual(manifest.floatImplementation(for: .armv6m), ArchProfile.FloatImplementation.none)
        XCTAssertNil(manifest.floatImplementation(for: .x64))
    }

    func testFloatOnGivesSinglePrecisionWhereTheArchHasNone() throws {
        let manifest = try parse("name = \"m\"\nsources = [\"m.c\"]\nfloat = true")
        XCTAssertEqual(manifest.floatImplementation(for: .rv32imc), .float)
        XCTAssertNil(manifest.floatImplementation(for: .x64))
        let double = try parse("name = \"m\"\nsources = [\"m.c\"]\n[arch.rv32imc]\nfloat = \"double\"")
        XCTAssertEqual(double.floatImplementation(for: .rv32imc), .double)
    }

    func testMultiLineStringsMayHoldBracketLines() throws {
        let manifest = try parse("name = \"m\"\nsources = [\"m.c\"]\ncflags = [\"\"\"\n[.not a header\n\"\"\"]")
        XCTAssertEqual(manifest.cflags, ["[.not a header\n"])
        let braces = try parse("name = \"m\"\nsources = [\"m.c\", '}', \"]}\\\"\"] # }\n[arch.x64]\ndefines = [\"A\"]")
        XCTAssertEqual(braces.sources, ["m.c", "}", "]}\""])
    }

    func testWindowsLineEndingsAreTOML() throws {
        let manifest = try parse("name = \"m\"\r\nsources = [\"m.c\"]\r\n[arch.x64]\r\ndefines = [\"A\"]\r\n")
        XCTAssertEqual(manifest.arch[.x64]?.defines, ["A"])
    }

    func testModuleWithoutVariantsBuildsItself() throws {
        let manifest = try parse("name = \"m\"\nsources = [\"m.c\"]")
        XCTAssertEqual(manifest.outputs.map(\.name), ["m"])
    }

    func testErrorsNameTheLineAndTheFix() {
        let cases: [(String, String)] = [
            ("sources = [\"a.c\"]", "needs name"),
            ("name = \"m\"", "needs sources"),
            ("name = \"m\"\nsources = [\"a.c\"\n", "module.toml:"),
            ("name = m\nsources = [\"a.c\"]", "module.toml:1:"),
            ("name = \"m\"\nsources = [\"a.c\"]\n[arch.armv7emps]\n", "module.toml:3: unknown arch 'armv7emps' in [arch.armv7emps]: did you mean 'armv7emsp'?"),
            ("name = \"m\"\nsources = [\"a.c\"]\n[extras.x]\n", "module.toml:3: unknown key 'extras'"),
            ("name = \"m\"\nsources = [\"a.c\"]\ndefnies = [\"X\"]", "module.toml:3: unknown key 'defnies': did you mean 'defines'?"),
            ("name = \"m\"\nsources = [\"a.c\"]\n\n[variants.x]\ndefine = [\"X\"]", "module.toml:5: unknown key 'variants.x.define': did you mean 'defines'?"),
            ("name = \"m\"\nsources = \"a.c\"", "module.toml:2: 'sources' must be a list of strings, not a string"),
            ("name = \"m\"\nsources = [\"a.c\", 3]", "'sources' must be a list of strings, not a integer"),
            ("name = \"m\"\nsources = [\"a.c\"]\n[arch.x64]\nfloat = 1", "module.toml:4: 'arch.x64.float' must be true, false"),
            ("name = \"m\"\nname = \"n\"\nsources = [\"a.c\"]", "module.toml:2:"),
            ("name = \"bad-name\"\nsources = [\"a.c\"]", "'bad-name' is not a valid module name: use ASCII letters"),
            ("name = \"class\"\nsources = [\"a.c\"]", "'class' is a Python keyword"),
            // toml++ asserts (aborts, or UB in release) on these; refused before it sees them.
            ("name = \"m\"\nsources = [\"a.c\"]\n[.ariants.x]", "module.toml:3: a table header starts with a name"),
            ("name = \"m\"\nsources = [\"a.c\"]\n[[ =x]]", "module.toml:3: a table header starts with a name"),
            ("name = \"m\"\nsources = [\"a.c\"]\n[", "module.toml:3: a table header needs a name"),
            ("\u{FEFF}[\u{1C}x]", "module.toml:1: a table header starts with a name"),
            (" \n[\r\ti", "module.toml:2: a table header starts with a name"),
            ("name = \"m\"\nsources = [\"a.c\"]\n\u{3000}[ .x]", "module.toml:3: a table header starts with a name"),
            ("# a comment with \"\"\" in it\nname = \"m\"\nsources = [\"a.c\"]\n[?x]", "module.toml:4: a table header starts with a name"),
            ("name = \"m\"\nsources = [\"a.c\"]\ncflags = [\n}]", "module.toml:4: expected a value or ] in the list, saw }"),
            ("name = \"m\"\nsources = [\"a.c\"]\nx = {a = [1, }", "module.toml:3: expected a value or ] in the list"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try parse(text), text) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error) should mention \(expected)")
            }
        }
    }

    func testTwoModulesWithOneNameAreAnError() throws {
        var a = try parse("name = \"m\"\nsources = [\"m.c\"]")
        a.file = "/a/module.toml"
        var b = a
        b.file = "/b/module.toml"
        XCTAssertThrowsError(try BuildPlanCheck.check([a, b])) { error in
            XCTAssertTrue("\(error)".contains("two modules are named 'm': /a/module.toml and /b/module.toml"), "\(error)")
        }
        let variant = try parse("name = \"m\"\nsources = [\"m.c\"]\n[variants.x]\nname = \"m\"")
        XCTAssertThrowsError(try BuildPlanCheck.check([variant])) { error in
            XCTAssertTrue("\(error)".contains("like the module itself"), "\(error)")
        }
    }
}

final class ShellWordsTests: XCTestCase {
    func testQuotesAndEscapesAreRemovedAsShDoes() throws {
        XCTAssertEqual(try ShellWords.split(#"-DA=\"x.h\" -I'a b' "-DB=\"y\"" c\ d"#),
                       [#"-DA="x.h""#, "-Ia b", #"-DB="y""#, "c d"])
        XCTAssertThrowsError(try ShellWords.split("-DA='open"))
    }
}

final class QstrSetTests: XCTestCase {
    func testStaticQstrsAreNumberedAndOthersGoToTheTableSorted() {
        let set = QstrSet(sources: ["MP_QSTR_zeta MP_QSTR___init__ MP_QSTR_alpha(MP_QSTR_zeta)", "x = MP_QSTR_Beta;"])
        // Static qstrs (like __init__) never enter the module table; others sort by byte value.
        XCTAssertEqual(set.moduleQstrs, ["Beta", "alpha", "zeta"])
        let header = set.configHeader
        XCTAssertTrue(header.contains("#define MP_QSTR_alpha (mp_native_qstr_table[2])"))
        let initNumber = StaticQstrs.numberByIdentifier["__init__"]!
        XCTAssertTrue(header.contains("#define MP_QSTR___init__ (\(initNumber))"))
        XCTAssertEqual(ConfigHeader.moduleQstrs(header), ["Beta", "alpha", "zeta"])
    }
}
