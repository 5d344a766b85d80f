@testable import BuildSystem
import MPYFormat
import XCTest

final class ManifestParserTests: XCTestCase {
    func parse(_ text: String) throws -> ModuleManifest {
        try ManifestParser.parse(text, directory: "/m", file: "module.toml")
    }

    func testFullManifest() throws {
        let manifest = try parse("""
            # a comment
            name = "emlearn_cnn"   # trailing comment
            sources = [
                "cnn.c",
                "extra.py",
            ]
            include = ["emlearn", "inc"]
            defines = ["A=1"]

            [variants.fp32]
            name = "emlearn_cnn_fp32"
            defines = ["CNN_FP32=1"]

            [variants.int8]
            defines = ["CNN_INT8=1"]

            [arch.armv6m]
            cflags = ["-O2"]
            """)
        XCTAssertEqual(manifest.name, "emlearn_cnn")
        XCTAssertEqual(manifest.cSources, ["cnn.c"])
        XCTAssertEqual(manifest.pythonSources, ["extra.py"])
        XCTAssertEqual(manifest.includes, ["emlearn", "inc"])
        XCTAssertEqual(manifest.outputs.map(\.name), ["emlearn_cnn_fp32", "emlearn_cnn_int8"])
        XCTAssertEqual(manifest.outputs[1].defines, ["CNN_INT8=1"])
        XCTAssertEqual(manifest.archCFlags[.armv6m], ["-O2"])
    }

    func testModuleWithoutVariantsBuildsItself() throws {
        let manifest = try parse("name = \"m\"\nsources = [\"m.c\"]")
        XCTAssertEqual(manifest.outputs.map(\.name), ["m"])
    }

    func testErrorsNameTheLineAndTheFix() {
        let cases: [(String, String)] = [
            ("sources = [\"a.c\"]", "needs name"),
            ("name = \"m\"", "needs sources"),
            ("name = \"m\"\nsources = [\"a.c\"\n", "not closed"),
            ("name = m\nsources = [\"a.c\"]", "quoted strings"),
            ("name = \"m\"\nsources = [\"a.c\"]\n[arch.z80]\n", "unknown arch 'z80'"),
            ("name = \"m\"\nsources = [\"a.c\"]\n[extras.x]\n", "unknown table"),
            ("name = \"m\"\nname = \"n\"\nsources = [\"a.c\"]", "appears twice"),
            ("name = \"bad-name\"\nsources = [\"a.c\"]", "'bad-name' is not a valid module name: use ASCII letters"),
            ("name = \"class\"\nsources = [\"a.c\"]", "'class' is a Python keyword"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try parse(text), text) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error) should mention \(expected)")
            }
        }
    }

    func testUpstreamNatmodMakefile() {
        let makefile = """
            MPY_DIR = ../../..
            MOD = features2
            SRC = main.c prod.c \\
                  test.py
            ARCH = x64
            CFLAGS_EXTRA = -DFOO=1 -O2
            include $(MPY_DIR)/py/dynruntime.mk
            """
        let manifest = NatmodMakefile.manifest(makefile, directory: "/m")
        XCTAssertEqual(manifest?.name, "features2")
        XCTAssertEqual(manifest?.sources, ["main.c", "prod.c", "test.py"])
        XCTAssertEqual(manifest?.defines, ["FOO=1"])
        XCTAssertEqual(manifest?.cflags, ["-O2"])
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
