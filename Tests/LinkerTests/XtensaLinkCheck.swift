@testable import Linker
import ELFReader
import MPYFormat
import XCTest

/// Checks a finished Xtensa link by decoding it, independently of the linker's own encoder:
/// every L32R, CALLn and J that a relocation touched must reach exactly what the relocation
/// named, and every GOT word must carry the loader relocation that makes it point there at
/// run time. Shared by the lx106 tests and the ESP32 (real windowed compiler) fixtures.
enum XtensaLinkCheck {
    struct Seen {
        var l32r = 0, calls = 0, jumps = 0, leftAlone = 0, stubCalls = 0
        var gotSlots = Set<Int64>()
    }

    static func allGOTSlots(_ linked: LinkedForInspection) -> Set<Int64> {
        Set(stride(from: linked.gotRange.lowerBound, to: linked.gotRange.upperBound, by: 4))
    }

    static func entryJump(_ linked: LinkedForInspection, file: StaticString = #filePath, line: UInt = #line) throws {
        var entry: Int64?
        for (o, object) in linked.request.objects.enumerated() {
            if let symbol = object.symbols.first(where: { $0.name == "mpy_init" && !$0.isUndefined }) {
                entry = linked.address(of: symbol, in: o)
            }
        }
        let target = try XCTUnwrap(entry)
        guard target != 0 else { return }  // mpy_init leads the text: no jump needed
        let jump = XtensaDecode.jumpTarget(XtensaDecode.instruction(linked.text, at: 0), at: 0)
        XCTAssertEqual(jump, target, "the text opens with J mpy_init", file: file, line: line)
    }

    /// Walks every R_XTENSA_SLOT0_OP of every input code section and checks the output.
    static func everyCodeRelocation(_ linked: LinkedForInspection) throws -> Seen {
        var seen = Seen()
        for (o, object) in linked.request.objects.enumerated() {
            for table in object.sections where table.isRelocationTable {
                guard let code = object.section(at: Int(table.info)), code.name.hasPrefix(".text"),
                      let base = linked.address(object: o, section: code.index) else { continue }
                for relocation in table.relocations where relocation.type == 20 {
                    let place = base + Int64(relocation.offset)
                    let word = XtensaDecode.instruction(linked.text, at: place)
                    let symbol = object.symbols[relocation.symbolIndex]
                    let what = "\(object.name):\(code.name)+0x\(String(relocation.offset, radix: 16))"
                    if let pool = object.section(at: Int(symbol.sectionIndex)), pool.name.hasPrefix(".literal") {
                        let source = try XCTUnwrap(XtensaDecode.l32rSource(word, at: place), "\(what) is not an L32R")
                        try checkLiteral(linked, object: o, pool: pool, offset: Int(Int64(symbol.value) + relocation.addend),
                                         loadedFrom: source, what: what, seen: &seen)
                        seen.l32r += 1
                    } else if let target = XtensaDecode.callTarget(word, at: place) {
                        if let index = memoryFunctionIndex(symbol, linked) {
                            try checkMemoryStub(linked, entry: target, funTableIndex: index, what: what)
                            seen.stubCalls += 1
                        } else {
                            XCTAssertEqual(target, try XCTUnwrap(linked.address(of: symbol, in: o)) + relocation.addend, what)
                        }
                        seen.calls += 1
                    } else if let target = XtensaDecode.jumpTarget(word, at: place) {
                        XCTAssertEqual(target, try XCTUnwrap(linked.address(of: symbol, in: o)) + relocation.addend, what)
                        seen.jumps += 1
                    } else {
                        seen.leftAlone += 1
                    }
                }
            }
        }
        return seen
    }

    /// The table entry of memset/memcpy/memmove when `symbol` is one (MicroPython provides them).
    private static func memoryFunctionIndex(_ symbol: ELFSymbol, _ linked: LinkedForInspection) -> Int? {
        guard symbol.isUndefined else { return nil }
        let facts = FunTableFacts.forABI(linked.request.abi)
        switch symbol.name {
        case "memset": return facts.memsetIndex
        case "memcpy", "memmove": return facts.memmoveIndex
        default: return nil
        }
    }

    /// A direct call to a memory function lands on the linker's stub: `l32r a9, <word before>;
    /// jx a9`, whose word the loader fills with the function-table entry.
    private static func checkMemoryStub(_ linked: LinkedForInspection, entry: Int64, funTableIndex: Int, what: String) throws {
        let load = XtensaDecode.instruction(linked.text, at: entry)
        XCTAssertEqual(load & 0xFF, 0x91, "\(what): the stub starts with L32R into a9")
        let word = try XCTUnwrap(XtensaDecode.l32rSource(load, at: entry), "\(what): the call lands on an L32R")
        XCTAssertEqual(word, entry - 4, "\(what): the stub loads the word just before it")
        XCTAssertEqual(linked.relocation(at: word)?.target, .funTableEntry(funTableIndex), "\(what): the loader fills the stub's word")
        XCTAssertEqual(XtensaDecode.instruction(linked.text, at: entry + 3), 0x00_09A0, "\(what): jx a9")
    }

    /// The word an L32R loads must be the pool word's constant, or a GOT word holding what
    /// the pool word pointed at, with the loader relocation that completes it.
    private static func checkLiteral(_ linked: LinkedForInspection, object o: Int, pool: ELFSection, offset: Int,
                              loadedFrom source: Int64, what: String, seen: inout Seen) throws {
        let object = linked.request.objects[o]
        let stored = pool.data[offset..<offset + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let poolRelocations = object.sections.first { $0.isRelocationTable && Int($0.info) == pool.index }?.relocations ?? []
        guard let pointer = poolRelocations.first(where: { Int($0.offset) == offset }) else {
            XCTAssertEqual(linked.word(at: source), stored, "\(what): constant")
            XCTAssertFalse(linked.gotRange.contains(source), "\(what): constants live in the literal table")
            XCTAssertNil(linked.relocation(at: source), "\(what): constants are not relocated")
            return
        }
        XCTAssertTrue(linked.gotRange.contains(source), "\(what): pointers live in the GOT")
        seen.gotSlots.insert(source)
        let target = object.symbols[pointer.symbolIndex]
        let addend = Int64(stored) + pointer.addend
        let (value, relocation) = try expectedGOTWord(linked, symbol: target, in: o, addend: addend)
        XCTAssertEqual(linked.word(at: source), UInt32(truncatingIfNeeded: value), "\(what): GOT word for \(target.name)+\(addend)")
        XCTAssertEqual(linked.relocation(at: source)?.target, relocation, "\(what): loader relocation for \(target.name)+\(addend)")
    }

    private static func expectedGOTWord(_ linked: LinkedForInspection, symbol: ELFSymbol, in o: Int,
                                 addend: Int64) throws -> (Int64, NativeRelocation.Target?) {
        let facts = FunTableFacts.forABI(linked.request.abi)
        if symbol.isUndefined {
            if let address = linked.request.fixedAddresses[symbol.name] { return (Int64(address) + addend, nil) }
            switch symbol.name {
            case "mp_fun_table": return (addend, .funTable)
            case "mp_native_qstr_table": return (addend, .qstrTable)
            case "mp_native_obj_table": return (addend, .objTable)
            case "memset": return (0, .funTableEntry(facts.memsetIndex))
            case "memcpy", "memmove": return (0, .funTableEntry(facts.memmoveIndex))
            default: break
            }
            if let index = facts.index(ofNamedObject: symbol.name) { return (addend, .funTableEntry(index)) }
        }
        let (definer, section) = try definingSection(linked, symbol: symbol, in: o)
        let address = try XCTUnwrap(linked.address(of: symbol, in: o)) + addend
        if section.name.hasPrefix(".bss") { return (address, .bss) }
        if linked.isRodataApart(object: definer, section: section.index) { return (address, .rodata) }
        return (address, .text)
    }

    private static func definingSection(_ linked: LinkedForInspection, symbol: ELFSymbol, in o: Int) throws -> (Int, ELFSection) {
        if let section = linked.request.objects[o].section(at: Int(symbol.sectionIndex)), !symbol.isUndefined { return (o, section) }
        for (other, object) in linked.request.objects.enumerated() {
            if let definition = object.symbols.first(where: { $0.name == symbol.name && !$0.isUndefined && $0.isGlobalOrWeak }),
               let section = object.section(at: Int(definition.sectionIndex)) {
                return (other, section)
            }
        }
        throw XCTSkip("no definition of \(symbol.name)")
    }
}
