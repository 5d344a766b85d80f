@testable import Linker
import ELFReader
import Foundation
import MPYFormat
import XCTest

/// The committed lx106 objects (Fixtures/xtensa/README.md says how they were made).
enum XtensaFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/xtensa")

    static func object(_ file: String) throws -> ELFObject {
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        return try ObjectReader.read(bytes: [UInt8](data), name: file)
    }

    /// Debian's lx106 libgcc leaves out the helpers the ESP8266 ROM provides; a firmware's
    /// ROM linker script gives their addresses. Which addresses does not matter here.
    static let romFunctions: [String: UInt64] = [
        "__muldi3": 0x4000_0650, "__mulsf3": 0x4000_0660, "__addsf3": 0x4000_0670, "__subsf3": 0x4000_0680,
        "__divsf3": 0x4000_0690, "__eqsf2": 0x4000_06A0, "__gesf2": 0x4000_06B0, "__gtsf2": 0x4000_06C0,
        "__lesf2": 0x4000_06D0, "__udivsi3": 0x4000_06E0,
    ]

    static func request(_ arch: NativeArch, _ files: [String]) throws -> LinkRequest {
        LinkRequest(arch: arch, objects: try files.map(object), qstrs: [], sourceName: "fixture.mpy",
                    fixedAddresses: romFunctions)
    }
}

/// A finished link with its context kept, so tests can ask where each input section went.
struct LinkedForInspection {
    let request: LinkRequest
    let link: LinkContext

    init(_ request: LinkRequest) throws {
        self.request = request
        self.link = try Linker.runPasses(request)
    }

    var text: [UInt8] { link.text }

    /// Output address of an input section (object number, ELF section index), if it is in
    /// the output (section GC may have discarded it).
    func address(object: Int, section: Int) -> Int64? {
        guard let id = link.sectionIDs[object][section], link.order.contains(id) || link.literalSections.contains(id) else { return nil }
        return Int64(link.sections[id].address)
    }

    func isRodataApart(object: Int, section: Int) -> Bool {
        link.sectionIDs[object][section].map { link.sections[$0].region == .rodata } ?? false
    }

    /// Where a symbol of an input object ends up: its own section, or the definition of the
    /// same name in another input object.
    func address(of symbol: ELFSymbol, in object: Int) -> Int64? {
        if let base = address(object: object, section: Int(symbol.sectionIndex)) { return base + Int64(symbol.value) }
        for (other, input) in request.objects.enumerated() {
            for candidate in input.symbols where candidate.name == symbol.name && candidate.isGlobalOrWeak && !candidate.isUndefined {
                if let base = address(object: other, section: Int(candidate.sectionIndex)) { return base + Int64(candidate.value) }
            }
        }
        return nil
    }

    var gotRange: Range<Int64> {
        let start = Int64(link.gotSection.address)
        return start..<start + Int64(link.gotSection.data.count)
    }

    func relocation(at offset: Int64) -> NativeRelocation? {
        link.mpyRelocations.first { $0.region == .text && Int64($0.offset) == offset }
    }

    func word(at offset: Int64) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(text[Int(offset) + $1]) << (8 * UInt32($1)) }
    }
}

/// A decoder for the three instruction formats the tests check, written from the Xtensa ISA
/// manual independently of the linker's encoder.
enum XtensaDecode {
    static func instruction(_ text: [UInt8], at place: Int64) -> UInt32 {
        UInt32(text[Int(place)]) | UInt32(text[Int(place) + 1]) << 8 | UInt32(text[Int(place) + 2]) << 16
    }

    /// The address an L32R at `place` loads from, or nil if it is not an L32R.
    static func l32rSource(_ word: UInt32, at place: Int64) -> Int64? {
        guard word & 0xF == 0x1 else { return nil }
        let imm16 = Int64(word >> 8 & 0xFFFF)
        return ((place + 3) & ~3) + ((imm16 - 0x10000) << 2)
    }

    /// Target of CALL0/4/8/12 at `place`, or nil.
    static func callTarget(_ word: UInt32, at place: Int64) -> Int64? {
        guard word & 0xF == 0x5 else { return nil }
        return (place & ~3) + 4 + (signed18(word >> 6) << 2)
    }

    /// Target of J at `place`, or nil.
    static func jumpTarget(_ word: UInt32, at place: Int64) -> Int64? {
        guard word & 0x3F == 0x06 else { return nil }
        return place + 4 + signed18(word >> 6)
    }

    private static func signed18(_ field: UInt32) -> Int64 {
        let value = Int64(field & 0x3FFFF)
        return value >= 0x20000 ? value - 0x40000 : value
    }
}

/// Links real lx106 objects and decodes the result: every L32R, CALLn and J that a
/// relocation touched must reach exactly what the relocation named, and every GOT word must
/// carry the loader relocation that makes it point there at run time.
final class XtensaLinkTests: XCTestCase {
    func testExampleAsXtensa() throws {
        let linked = try LinkedForInspection(XtensaFixture.request(.xtensa, ["example.o"]))
        let seen = try XtensaLinkCheck.everyCodeRelocation(linked)
        XCTAssertGreaterThan(seen.l32r, 50)
        XCTAssertEqual(seen.gotSlots, XtensaLinkCheck.allGOTSlots(linked), "every GOT word is reached by some L32R")
        XCTAssertTrue(linked.link.rodata.isEmpty, "xtensa keeps rodata in the text")
        try XtensaLinkCheck.entryJump(linked)
    }

    func testExampleAsXtensawinKeepsRodataApart() throws {
        let linked = try LinkedForInspection(XtensaFixture.request(.xtensawin, ["example_win.o"]))
        let seen = try XtensaLinkCheck.everyCodeRelocation(linked)
        XCTAssertGreaterThan(seen.l32r, 50)
        XCTAssertEqual(seen.gotSlots, XtensaLinkCheck.allGOTSlots(linked))
        XCTAssertFalse(linked.link.rodata.isEmpty)
        XCTAssertTrue(linked.link.mpyRelocations.contains { $0.target == .rodata }, "GOT words point into the separate rodata")
        XCTAssertTrue(linked.link.mpyRelocations.contains { $0.region == .rodata }, ".data.rel.ro pointers are relocated in place")
        try XtensaLinkCheck.entryJump(linked)
    }

    /// Debian's gcc 12 puts `symbol + offset` in literal pools (mp_native_qstr_table+0x24),
    /// where upstream mpy_ld.py stops with an AssertionError: each gets a GOT word of its own.
    func testLiteralsWithAnAddendGetTheirOwnGOTWord() throws {
        let linked = try LinkedForInspection(XtensaFixture.request(.xtensa, ["example.o"]))
        let withAddend = linked.link.got.filter { $0.key.hasPrefix("mp_native_qstr_table+0x") }
        XCTAssertFalse(withAddend.isEmpty)
        for entry in withAddend {
            let place = Int64(linked.link.gotSection.address + entry.offset)
            XCTAssertEqual(Int64(linked.word(at: place)), entry.addend)
            XCTAssertEqual(linked.relocation(at: place)?.target, .qstrTable)
        }
    }

    /// CALL0 into another section and another object, and a J into another object: the
    /// assembler leaves their operands zero (upstream mpy_ld.py leaves them so too).
    func testCallsAndJumpsAcrossSectionsAreComputed() throws {
        let request = try XtensaFixture.request(.xtensa, ["calls.o", "helper.o"])
        var zeroBefore = 0
        for object in request.objects {
            for table in object.sections where table.isRelocationTable {
                guard let code = object.section(at: Int(table.info)), code.name.hasPrefix(".text") else { continue }
                for relocation in table.relocations where relocation.type == 20 {
                    let o = Int(relocation.offset)
                    let word = UInt32(code.data[o]) | UInt32(code.data[o + 1]) << 8 | UInt32(code.data[o + 2]) << 16
                    if word >> 6 == 0 { zeroBefore += 1 }
                }
            }
        }
        XCTAssertEqual(zeroBefore, 5)
        let linked = try LinkedForInspection(request)
        let seen = try XtensaLinkCheck.everyCodeRelocation(linked)
        XCTAssertEqual(seen.calls, 4)
        XCTAssertEqual(seen.jumps, 1)
        try XtensaLinkCheck.entryJump(linked)
    }

    func testEntryJumpEncoding() throws {
        let backend = XtensaBackend(arch: .xtensa)
        for target in [4, 8, 0x1234, 131_075] {
            let bytes = try XCTUnwrap(backend.entryJump(to: target))
            XCTAssertEqual(bytes.count, 3)
            XCTAssertEqual(XtensaDecode.jumpTarget(XtensaDecode.instruction(bytes, at: 0), at: 0), Int64(target))
        }
        XCTAssertEqual(backend.entryJump(to: 8), [0x06, 0x01, 0x00], "j +8 as objdump shows it: 000106")
        XCTAssertNil(backend.entryJump(to: 131_076), "J reaches 128 KiB")
        XCTAssertNil(backend.functionTableStub(calledDirectly: false), "memset through a literal goes through the GOT")
        let stub = try XCTUnwrap(backend.functionTableStub(calledDirectly: true), "a direct CALLn needs code to land on")
        XCTAssertEqual(stub.code, [0, 0, 0, 0, 0x91, 0xFF, 0xFF, 0xA0, 0x09, 0x00], "the word, l32r a9 (objdump: ffff91), jx a9 (0009a0)")
        XCTAssertEqual(XtensaDecode.l32rSource(XtensaDecode.instruction(stub.code, at: 4), at: 4), 0, "the L32R loads the stub's own word")
        XCTAssertEqual([stub.pointerOffset, stub.entryOffset], [0, 4])
    }

    func testUnknownRelocationNamesTypeSectionOffsetAndObject() throws {
        var request = try XtensaFixture.request(.xtensa, ["example.o"])
        let table = try XCTUnwrap(request.objects[0].sections.firstIndex { $0.name == ".rela.text" })
        request.objects[0].sections[table].relocations[3].type = 99
        let offset = request.objects[0].sections[table].relocations[3].offset
        XCTAssertThrowsError(try Linker.link(request)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("unknown relocation type 99"), message)
            XCTAssertTrue(message.contains("example.o:(.text+0x\(String(offset, radix: 16)))"), message)
            XCTAssertTrue(message.contains("xtensa"), message)
        }
    }

    func testBranchIntoAnotherSectionIsRefused() throws {
        var request = try XtensaFixture.request(.xtensa, ["calls.o", "helper.o"])
        // Turn the J of jump_to_helper into a BEQZ (op0 6, n 1): same relocation, other format.
        let jumper = try XCTUnwrap(request.objects[0].sections.firstIndex { $0.name == ".text.jumper" })
        request.objects[0].sections[jumper].data[0] = 0x16
        XCTAssertThrowsError(try Linker.link(request)) { error in
            XCTAssertTrue("\(error)".contains("into another section cannot be patched"), "\(error)")
        }
    }
}
