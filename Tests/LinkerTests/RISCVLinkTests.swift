@testable import Linker
import ELFReader
import Foundation
import MPYFormat
import XCTest

/// Links the rv32imc example object (Fixtures/riscv/README.md) and decodes the result: each
/// relocated instruction must reach what its relocation named, PC-relative pairs included.
/// Byte parity with upstream is GoldenLinkTests' job; this says *why* the bytes are right.
final class RISCVLinkTests: XCTestCase {
    private static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/riscv")

    private func request() throws -> LinkRequest {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("example.o"))
        let object = try ObjectReader.read(bytes: [UInt8](data), name: "example.o")
        return LinkRequest(arch: .rv32imc, objects: [object], qstrs: [], sourceName: "example.mpy")
    }

    private enum Reloc {
        static let branch: UInt32 = 16, jal: UInt32 = 17, call: UInt32 = 18, callPLT: UInt32 = 19
        static let gotHI20: UInt32 = 20, pcrelHI20: UInt32 = 23, pcrelLO12I: UInt32 = 24
        static let rvcBranch: UInt32 = 44, rvcJump: UInt32 = 45
    }

    func testEveryRelocatedInstructionReachesItsTarget() throws {
        let linked = try LinkedForInspection(request())
        let object = linked.request.objects[0]
        let table = try XCTUnwrap(object.sections.first { $0.name == ".rela.text" })
        let base = try XCTUnwrap(linked.address(object: 0, section: Int(table.info)))
        var checked: [UInt32: Int] = [:]
        var expected: [UInt32: Int] = [:]
        // Each HI20's target, by the auipc's address, for the LO12 that names it.
        var upperTargets: [Int64: (auipc: UInt32, target: Int64)] = [:]

        for relocation in table.relocations {
            expected[relocation.type, default: 0] += 1
            let place = base + Int64(relocation.offset)
            let symbol = object.symbols[relocation.symbolIndex]
            switch relocation.type {
            case Reloc.pcrelHI20:
                upperTargets[place] = (linked.word(at: place), try target(of: symbol, linked) + relocation.addend)
            case Reloc.gotHI20:
                upperTargets[place] = (linked.word(at: place), try gotSlot(of: symbol, linked) + relocation.addend)
            default:
                continue
            }
            checked[relocation.type, default: 0] += 1
        }
        for relocation in table.relocations {
            let place = base + Int64(relocation.offset)
            let symbol = object.symbols[relocation.symbolIndex]
            let what = "example.o:.text+0x\(String(relocation.offset, radix: 16)) type \(relocation.type)"
            switch relocation.type {
            case Reloc.pcrelLO12I:
                let label = try target(of: symbol, linked)
                let upper = try XCTUnwrap(upperTargets[label], "\(what): no HI20 at its label")
                let reached = label + RISCVField.upper.extract(from: upper.auipc) + RISCVField.iType.extract(from: linked.word(at: place))
                XCTAssertEqual(reached, upper.target, what)
            case Reloc.call, Reloc.callPLT:
                let reached = place + RISCVField.upper.extract(from: linked.word(at: place))
                    + RISCVField.iType.extract(from: linked.word(at: place + 4))
                XCTAssertEqual(reached, try target(of: symbol, linked) + relocation.addend, what)
            case Reloc.branch:
                XCTAssertEqual(place + RISCVField.bType.extract(from: linked.word(at: place)), try target(of: symbol, linked) + relocation.addend, what)
            case Reloc.jal:
                XCTAssertEqual(place + RISCVField.jType.extract(from: linked.word(at: place)), try target(of: symbol, linked) + relocation.addend, what)
            case Reloc.rvcBranch:
                XCTAssertEqual(place + RISCVField.compressedBranch.extract(from: linked.word(at: place) & 0xFFFF), try target(of: symbol, linked) + relocation.addend, what)
            case Reloc.rvcJump:
                XCTAssertEqual(place + RISCVField.compressedJump.extract(from: linked.word(at: place) & 0xFFFF), try target(of: symbol, linked) + relocation.addend, what)
            default:
                continue
            }
            checked[relocation.type, default: 0] += 1
        }
        let ignored: Set<UInt32> = [43, 51]  // ALIGN, RELAX
        XCTAssertEqual(checked, expected.filter { !ignored.contains($0.key) }, "every relocation type in the object was checked")
        XCTAssertGreaterThan(checked[Reloc.pcrelLO12I] ?? 0, 20)
    }

    /// Each GOT word: external symbols get their loader relocation, module symbols their address.
    func testGOTWordsCarryTheirLoaderRelocation() throws {
        let linked = try LinkedForInspection(request())
        let facts = FunTableFacts.forABI(.v6_3)
        XCTAssertFalse(linked.link.got.isEmpty)
        for entry in linked.link.got {
            let place = Int64(linked.link.gotSection.address + entry.offset)
            let relocation = linked.relocation(at: place)?.target
            switch entry.key {
            case "mp_fun_table": XCTAssertEqual(relocation, .funTable)
            case "mp_native_qstr_table": XCTAssertEqual(relocation, .qstrTable)
            case let name where facts.index(ofNamedObject: name) != nil:
                XCTAssertEqual(relocation, .funTableEntry(facts.index(ofNamedObject: name)!), name)
            default:
                let symbol = try XCTUnwrap(linked.request.objects[0].symbols.first { $0.name == entry.key && !$0.isUndefined }, entry.key)
                XCTAssertEqual(Int64(linked.word(at: place)), try target(of: symbol, linked), entry.key)
                let section = try XCTUnwrap(linked.request.objects[0].section(at: Int(symbol.sectionIndex)))
                XCTAssertEqual(relocation, section.name.hasPrefix(".bss") ? .bss : .text, entry.key)
            }
        }
    }

    /// memset is called through the stub, whose pointer word the loader fills from mp_fun_table.
    func testMemsetCallsGoThroughTheStub() throws {
        let linked = try LinkedForInspection(request())
        let stub = try XCTUnwrap(linked.link.stubs["memset"].map { linked.link.sections[$0] })
        XCTAssertEqual(Array(linked.text[stub.address..<stub.address + 8]), [0x97, 0x06, 0x00, 0x00, 0x94, 0x46, 0x82, 0x86])
        XCTAssertEqual(linked.relocation(at: Int64(stub.address + 8))?.target, .funTableEntry(FunTableFacts.forABI(.v6_3).memsetIndex))
    }

    func testEntryJumpReachesMpyInit() throws {
        let linked = try LinkedForInspection(request())
        let symbol = try XCTUnwrap(linked.request.objects[0].symbols.first { $0.name == "mpy_init" })
        let entry = try target(of: symbol, linked)
        XCTAssertNotEqual(entry, 0)
        let first = linked.word(at: 0)
        if first & 0xE003 == 0xA001 {
            XCTAssertEqual(RISCVField.compressedJump.extract(from: first & 0xFFFF), entry)
        } else {
            XCTAssertEqual(RISCVField.upper.extract(from: first) + RISCVField.iType.extract(from: linked.word(at: 4)), entry)
        }
    }

    func testThreadLocalRelocationIsRefusedByName() throws {
        var request = try request()
        let table = try XCTUnwrap(request.objects[0].sections.firstIndex { $0.name == ".rela.text" })
        request.objects[0].sections[table].relocations[0].type = 29
        XCTAssertThrowsError(try Linker.link(request)) { error in
            XCTAssertTrue("\(error)".contains("R_RISCV_TPREL_HI20 (type 29)"), "\(error)")
            XCTAssertTrue("\(error)".contains("thread-local"), "\(error)")
        }
    }

    func testUnknownRelocationNamesTypeSectionOffsetAndObject() throws {
        var request = try request()
        let table = try XCTUnwrap(request.objects[0].sections.firstIndex { $0.name == ".rela.text" })
        request.objects[0].sections[table].relocations[5].type = 58  // R_RISCV_IRELATIVE: dynamic linking only
        let offset = request.objects[0].sections[table].relocations[5].offset
        XCTAssertThrowsError(try Linker.link(request)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("example.o:(.text+0x\(String(offset, radix: 16))): unknown relocation type 58"), message)
            XCTAssertTrue(message.contains("rv32imc"), message)
        }
    }

    func testLowPartWithoutItsHighPartIsAnError() throws {
        var request = try request()
        let table = try XCTUnwrap(request.objects[0].sections.firstIndex { $0.name == ".rela.text" })
        let relocations = request.objects[0].sections[table].relocations
        let high = try XCTUnwrap(relocations.firstIndex { $0.type == Reloc.pcrelHI20 })
        request.objects[0].sections[table].relocations[high].type = 51  // R_RISCV_RELAX: ignored
        XCTAssertThrowsError(try Linker.link(request)) { error in
            XCTAssertTrue("\(error)".contains("no R_RISCV_PCREL_HI20 or R_RISCV_GOT_HI20"), "\(error)")
        }
    }

    // MARK: - Where things went

    private func target(of symbol: ELFSymbol, _ linked: LinkedForInspection) throws -> Int64 {
        if let address = linked.address(of: symbol, in: 0) { return address }
        let stub = try XCTUnwrap(linked.link.stubs[symbol.name == "memcpy" ? "memmove" : symbol.name], symbol.name)
        return Int64(linked.link.sections[stub].address)
    }

    private func gotSlot(of symbol: ELFSymbol, _ linked: LinkedForInspection) throws -> Int64 {
        let index = try XCTUnwrap(linked.link.gotIndex[symbol.name], symbol.name)
        return Int64(linked.link.gotSection.address + linked.link.got[index].offset)
    }
}
