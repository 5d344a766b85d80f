import ELFReader
import XCTest

final class ObjectReaderTests: XCTestCase {
    let source = """
        extern int external_counter;
        static const char greeting[] = "hello";
        int zeroed[4];
        int use(int x) { return external_counter + x + greeting[x] + zeroed[x]; }
        """

    func testReadsSectionsSymbolsAndRelaRelocationsOfX64Object() throws {
        let object = try ObjectReader.read(bytes: try CompiledObjects.compile(source), name: "t.o")
        XCTAssertEqual(object.machine, Machine.x86_64)
        XCTAssertEqual(object.wordSize, 8)
        let text = try XCTUnwrap(object.sections.first { $0.name == ".text" })
        XCTAssertEqual(text.type, SectionType.progbits)
        XCTAssertEqual(Int(text.size), text.data.count)
        let bss = try XCTUnwrap(object.sections.first { $0.name == ".bss" })
        XCTAssertEqual(bss.type, SectionType.nobits)
        XCTAssertEqual(bss.data, [UInt8](repeating: 0, count: Int(bss.size)), "NOBITS reads as zeros of its size")

        let use = try XCTUnwrap(object.symbols.first { $0.name == "use" })
        XCTAssertEqual(use.binding, SymbolBinding.global)
        XCTAssertEqual(use.type, SymbolType.function)
        let external = try XCTUnwrap(object.symbols.first { $0.name == "external_counter" })
        XCTAssertTrue(external.isUndefined)

        let rela = try XCTUnwrap(object.sections.first { $0.name == ".rela.text" })
        XCTAssertEqual(rela.type, SectionType.rela)
        XCTAssertEqual(Int(rela.info), text.index, "relocations name the section they patch")
        let toExternal = try XCTUnwrap(rela.relocations.first { object.symbols[$0.symbolIndex].name == "external_counter" })
        // -fpic reaches an extern through the GOT: R_X86_64_REX_GOTPCRELX (42) or GOTPCREL (9).
        XCTAssertTrue([9, 42].contains(toExternal.type), "got type \(toExternal.type)")
        XCTAssertEqual(toExternal.addend, -4)
    }

    func testReadsRelRelocationsOfThumbObject() throws {
        let bytes = try CompiledObjects.compile(source, compiler: "arm-none-eabi-gcc", flags: ["-mthumb", "-mcpu=cortex-m4", "-fpic", "-Os"])
        let object = try ObjectReader.read(bytes: bytes, name: "t.o")
        XCTAssertEqual(object.machine, Machine.arm)
        XCTAssertEqual(object.wordSize, 4)
        let rel = try XCTUnwrap(object.sections.first { $0.name == ".rel.text" })
        XCTAssertEqual(rel.type, SectionType.rel)
        XCTAssertFalse(rel.relocations.isEmpty)
        XCTAssertTrue(rel.relocations.allSatisfy { $0.addend == 0 }, "REL entries keep the addend in the section")
    }

    func testRejectsNonELFNamingTheFile() {
        XCTAssertThrowsError(try ObjectReader.read(bytes: Array("just text\n".utf8), name: "notes.txt")) { error in
            guard case ELFError.notELF(let file, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "notes.txt")
            XCTAssertTrue("\(error)".contains("notes.txt"))
        }
    }

    func testRejectsLinkedExecutable() throws {
        let program = try CompiledObjects.compile("int main(void) { return 0; }", flags: ["-Os"], link: true)
        XCTAssertThrowsError(try ObjectReader.read(bytes: program, name: "a.out")) { error in
            guard case ELFError.notRelocatable(let file, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "a.out")
        }
    }

    func testEveryTruncationIsAnErrorNotACrash() throws {
        let bytes = try CompiledObjects.compile(source)
        for length in stride(from: 0, to: bytes.count, by: 7) {
            XCTAssertThrowsError(try ObjectReader.read(bytes: Array(bytes.prefix(length)), name: "cut.o"), "prefix \(length)")
        }
    }
}
