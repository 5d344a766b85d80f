@testable import Linker
import ELFReader
import Foundation
import MPYFormat
import Toolchain
import XCTest

/// Objects that a real ESP32 compiler (xtensa-esp32-elf-gcc: windowed calls, hardware
/// floating point) made from this project's modules (Fixtures/esp32/README.md says how):
/// - build-flags/: with `mpyforge build`'s own flags, -ffunction-sections included, which
///   upstream mpy_ld.py cannot link on xtensawin;
/// - upstream-differs/: without -ffunction-sections, the modules where upstream links but gets
///   it wrong (its output kept as upstream.mpy).
/// Both are checked by decoding our output: every L32R, CALLn and J, every GOT word and its
/// loader relocation. Where upstream is right the bytes are compared with it in
/// GoldenLinkTests (Fixtures/golden/xtensawin).
final class ESP32LinkTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/esp32")

    func testEveryModuleLinksAndEveryRelocationReachesItsTarget() throws {
        for set in ["build-flags", "upstream-differs", "no-pic"] {
            let modules = try Self.modules(set)
            XCTAssertGreaterThanOrEqual(modules.count, ["build-flags": 8, "no-pic": 11][set] ?? 4, set)
            for module in modules {
                let linked = try LinkedForInspection(Self.request(set, module))
                let seen = try XtensaLinkCheck.everyCodeRelocation(linked)
                XCTAssertGreaterThan(seen.l32r, 0, module)
                XCTAssertEqual(seen.gotSlots, XtensaLinkCheck.allGOTSlots(linked), "\(set)/\(module): every GOT word is reached by some L32R")
                XCTAssertFalse(linked.link.rodata.isEmpty, "\(set)/\(module): xtensawin keeps rodata apart")
                try XtensaLinkCheck.entryJump(linked)
            }
        }
    }

    /// Upstream gives two objects' `.rodata.str1.1+0` one GOT word (it keys GOT entries by
    /// section name and offset) and drops the addend of a `symbol + addend` literal: the
    /// decoding above proves our output right; this keeps the evidence that upstream's differs.
    /// When upstream is fixed the two agree, and the fixture belongs in Fixtures/golden.
    func testUpstreamDiffersWhereItIsWrong() throws {
        for module in try Self.modules("upstream-differs") {
            let ours = NativeModuleWriter.encode(try Linker.link(Self.request("upstream-differs", module)).image)
            let upstream = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent("upstream-differs/\(module)/upstream.mpy")))
            XCTAssertNotEqual(ours, upstream, "\(module): upstream now agrees; move the fixture to Fixtures/golden/xtensawin")
        }
    }

    /// The fixtures really are windowed code: every function opens with ENTRY, which lx106
    /// (call0) code never has. Without this the other tests could pass on the wrong objects.
    func testObjectsAreWindowedCode() throws {
        for (set, module) in try Self.modules("build-flags").map({ ("build-flags", $0) }) + Self.modules("no-pic").map({ ("no-pic", $0) }) {
            let request = try Self.request(set, module)
            let entries = request.objects.flatMap { object in
                object.symbols.filter { $0.type == SymbolType.function && !$0.isUndefined }.compactMap { symbol -> UInt8? in
                    object.section(at: Int(symbol.sectionIndex))?.data[Int(symbol.value)]
                }
            }
            XCTAssertFalse(entries.isEmpty, module)
            // ENTRY is op0 6, n 3, m 0: the low byte is 0x36. The stub is the one frameless function.
            let windowed = request.objects.filter { $0.name != "xtensawin_nlr_setjmp.o" }.allSatisfy { object in
                object.symbols.filter { $0.type == SymbolType.function && !$0.isUndefined }.allSatisfy { symbol in
                    object.section(at: Int(symbol.sectionIndex))?.data[Int(symbol.value)] == 0x36
                }
            }
            XCTAssertTrue(windowed, "\(module): every function starts with ENTRY")
        }
    }

    /// MicroPython on ESP32 implements NLR with setjmp (MICROPY_NLR_SETJMP), so nlr_push must
    /// call the table's nlr_push (nlr_push_tail there) and then setjmp from the same frame.
    /// The example's try_call catches exceptions: its code must call the SDK's frameless stub
    /// (through a GOT word, as -fpic code calls), and the stub must jump to fun-table entry 49
    /// (setjmp) without making a frame of its own.
    func testNlrPushTakesTheSetjmpPath() throws {
        let request = try Self.request("build-flags", "mpyforge_example")
        let example = try XCTUnwrap(request.objects.firstIndex { $0.name == "example.o" })
        let linked = try LinkedForInspection(request)
        _ = try XtensaLinkCheck.everyCodeRelocation(linked)

        let stubObject = request.objects.count - 1
        let stubSymbol = try XCTUnwrap(request.objects[stubObject].symbols.first { $0.name == "mpyforge_nlr_setjmp" && !$0.isUndefined })
        let stub = try XCTUnwrap(linked.address(of: stubSymbol, in: stubObject))

        // Each L32R in try_call that loads the stub's address, followed by a CALLX8 of that register.
        let object = request.objects[example]
        let code = try XCTUnwrap(object.sections.first { $0.name == ".text.try_call" })
        let pool = try XCTUnwrap(object.sections.first { $0.name == ".literal.try_call" })
        let poolRelocations = try XCTUnwrap(object.sections.first { $0.isRelocationTable && Int($0.info) == pool.index }).relocations
        let codeRelocations = try XCTUnwrap(object.sections.first { $0.isRelocationTable && Int($0.info) == code.index }).relocations
        let base = try XCTUnwrap(linked.address(object: example, section: code.index))
        var callsToStub = 0
        for relocation in codeRelocations where object.symbols[relocation.symbolIndex].sectionIndex == pool.index {
            let slot = Int(Int64(object.symbols[relocation.symbolIndex].value) + relocation.addend)
            guard let literal = poolRelocations.first(where: { Int($0.offset) == slot }),
                  object.symbols[literal.symbolIndex].name == "mpyforge_nlr_setjmp" else { continue }
            let place = base + Int64(relocation.offset)
            let load = XtensaDecode.instruction(linked.text, at: place)
            let source = try XCTUnwrap(XtensaDecode.l32rSource(load, at: place))
            XCTAssertEqual(Int64(linked.word(at: source)), stub, "the GOT word holds the stub's address")
            XCTAssertEqual(linked.relocation(at: source)?.target, .text)
            let register = load >> 4 & 0xF
            let callx8 = 0x0000E0 | register << 8  // CALLX8 as: op0 0, r 0, s reg, t 14
            let next = (1...4).map { XtensaDecode.instruction(linked.text, at: place + 3 + Int64($0 - 1) * 2) }
            XCTAssertTrue(next.contains(callx8), "a CALLX8 a\(register) follows the load")
            callsToStub += 1
        }
        XCTAssertEqual(callsToStub, 1, "try_call sets up one handler")

        // The stub: L32R a9 <- the fun table's address, L32I a9, a9, 196 (entry 49), JX a9.
        let load = XtensaDecode.instruction(linked.text, at: stub)
        XCTAssertEqual(load & 0xFF, 0x91, "L32R into a9")
        let literal = try XCTUnwrap(XtensaDecode.l32rSource(load, at: stub))
        XCTAssertEqual(linked.relocation(at: literal)?.target, .funTable, "the literal is the loader's fun table address")
        XCTAssertEqual(XtensaDecode.instruction(linked.text, at: stub + 3), 0x31_2992, "l32i a9, a9, 196")
        XCTAssertEqual(XtensaDecode.instruction(linked.text, at: stub + 6), 0x00_09A0, "jx a9")
    }

    /// Without -fpic (mpyforge's flags for xtensawin since 2026-12-06) calls are direct CALL8s:
    /// those to memset/memmove land on the linker's stub (checked in everyCodeRelocation), and
    /// the example's try_call reaches the SDK's nlr stub the same way.
    func testNoPicDirectCallsReachTheStubs() throws {
        var stubCalls = 0
        for module in try Self.modules("no-pic") {
            stubCalls += try XtensaLinkCheck.everyCodeRelocation(LinkedForInspection(Self.request("no-pic", module))).stubCalls
        }
        XCTAssertGreaterThan(stubCalls, 5, "iir, iir_q15, linreg, the CNNs and the example call memset/memcpy directly")

        let request = try Self.request("no-pic", "mpyforge_example")
        let linked = try LinkedForInspection(request)
        let example = try XCTUnwrap(request.objects.firstIndex { $0.name == "example.o" })
        let stubObject = try XCTUnwrap(request.objects.firstIndex { $0.name == "xtensawin_nlr_setjmp.o" })
        let stubSymbol = try XCTUnwrap(request.objects[stubObject].symbols.first { $0.name == "mpyforge_nlr_setjmp" && !$0.isUndefined })
        let stub = try XCTUnwrap(linked.address(of: stubSymbol, in: stubObject))
        let object = request.objects[example]
        let code = try XCTUnwrap(object.sections.first { $0.name == ".text.try_call" })
        let relocations = try XCTUnwrap(object.sections.first { $0.isRelocationTable && Int($0.info) == code.index }).relocations
        let base = try XCTUnwrap(linked.address(object: example, section: code.index))
        let calls = relocations.filter { object.symbols[$0.symbolIndex].name == "mpyforge_nlr_setjmp" }.compactMap { relocation in
            let place = base + Int64(relocation.offset)
            return XtensaDecode.callTarget(XtensaDecode.instruction(linked.text, at: place), at: place)
        }
        XCTAssertEqual(calls, [stub], "try_call sets up one handler with a direct call of the nlr stub")
    }

    // MARK: - Fixtures

    static func modules(_ set: String) throws -> [String] {
        let directory = root.appendingPathComponent(set)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { name in
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(name)/\(name).config.h").path)
        }.sorted()
    }

    /// The module's objects, then the SDK's nlr stub (section GC drops it where unused), linked
    /// as `mpyforge build` links: unreachable sections discarded, the fixtures' externs given.
    /// no-pic code calls `__divsf3` with a direct CALL8, which cannot reach a fixed address,
    /// so that set links a stand-in definition (no-pic/runtime/stand_in_divsf3.c) instead.
    static func request(_ set: String, _ module: String) throws -> LinkRequest {
        let directory = root.appendingPathComponent("\(set)/\(module)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".o") }.sorted()
        var objects = try files.map { try object(directory.appendingPathComponent($0)) }
        if !files.contains("xtensawin_nlr_setjmp.o") {
            objects.append(try object(root.appendingPathComponent("runtime/xtensawin_nlr_setjmp.o")))
        }
        var fixed: [String: UInt64] = [:]
        if set == "no-pic" {
            objects.append(try object(root.appendingPathComponent("no-pic/runtime/stand_in_divsf3.o")))
        } else {
            let externs = root.appendingPathComponent("externs.ld")
            fixed = try FixedAddressScript.parse(String(contentsOf: externs, encoding: .utf8), file: externs.path)
        }
        let header = try String(contentsOf: directory.appendingPathComponent("\(module).config.h"), encoding: .utf8)
        return LinkRequest(arch: .xtensawin, objects: objects, qstrs: GoldenLinkTests.moduleQstrs(header),
                           sourceName: "\(module).mpy", fixedAddresses: fixed, discardUnreachableSections: set != "upstream-differs")
    }

    static func object(_ url: URL) throws -> ELFObject {
        try ObjectReader.read(bytes: [UInt8](Data(contentsOf: url)), name: url.lastPathComponent)
    }
}
