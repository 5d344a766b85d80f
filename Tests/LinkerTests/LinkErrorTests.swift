import Foundation
import MPYFormat
import XCTest

@testable import ELFReader
@testable import Linker

/// What the linker says when it cannot link: every message names the symbol, object, section
/// or file at fault, and bad input never crashes it.
final class LinkErrorTests: XCTestCase {
    static let golden = GoldenLinkTests.root

    private func fixtureBytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Self.golden.appendingPathComponent(path)))
    }

    private func object(_ path: String) throws -> ELFObject {
        try ObjectReader.read(bytes: fixtureBytes(path), name: (path as NSString).lastPathComponent)
    }

    private func linkError(_ request: LinkRequest, file: StaticString = #filePath, line: UInt = #line) -> LinkError? {
        do {
            _ = try Linker.link(request)
            XCTFail("the link succeeded", file: file, line: line)
        } catch let error as LinkError {
            return error
        } catch {
            XCTFail("expected a LinkError, got \(error)", file: file, line: line)
        }
        return nil
    }

    // MARK: - Undefined symbols

    /// A hand-made x64 object: `mpy_init` in .text calls `needed_helper`, which nobody defines.
    private func objectCallingUndefined() -> ELFObject {
        let code: [UInt8] = [0xE8, 0, 0, 0, 0, 0xC3]  // call needed_helper; ret
        let text = ELFSection(index: 1, name: ".text", type: SectionType.progbits, flags: 6, address: 0, alignment: 1,
                              size: UInt64(code.count), data: code, info: 0, link: 0, relocations: [])
        let rela = ELFSection(index: 2, name: ".rela.text", type: SectionType.rela, flags: 0, address: 0, alignment: 8,
                              size: 24, data: [], info: 1, link: 3,
                              relocations: [ELFRelocation(offset: 1, type: 4, symbolIndex: 2, addend: -4)])
        let null = ELFSection(index: 0, name: "", type: 0, flags: 0, address: 0, alignment: 0, size: 0, data: [],
                              info: 0, link: 0, relocations: [])
        let symbols = [
            ELFSymbol(index: 0, name: "", value: 0, size: 0, binding: 0, type: 0, sectionIndex: 0),
            ELFSymbol(index: 1, name: "mpy_init", value: 0, size: 6, binding: SymbolBinding.global, type: 2, sectionIndex: 1),
            ELFSymbol(index: 2, name: "needed_helper", value: 0, size: 0, binding: SymbolBinding.global, type: 0, sectionIndex: 0),
        ]
        return ELFObject(name: "caller.o", machine: Machine.x86_64, wordSize: 8, sections: [null, text, rela], symbols: symbols)
    }

    func testUndefinedSymbolNamesTheSymbolAndTheObjectThatNeedsIt() {
        let request = LinkRequest(arch: .x64, objects: [objectCallingUndefined()], qstrs: [], sourceName: "m.mpy")
        guard let error = linkError(request) else { return }
        guard case .undefinedSymbols(let list) = error else { return XCTFail("\(error)") }
        XCTAssertEqual(list.map(\.symbol), ["needed_helper"])
        XCTAssertEqual(list.map(\.neededBy), ["caller.o"])
        XCTAssertTrue(error.description.contains("caller.o: undefined symbol 'needed_helper'"), error.description)
    }

    /// neighbors.o (armv6m) divides with __aeabi_uidiv from libgcc's _udivsi3.o, which in turn
    /// needs __aeabi_idiv0 from _dvmd_tls.o.
    private func neighborsArchive(without dropped: String) throws -> ELFArchive {
        let full = try ArchiveReader.read(bytes: fixtureBytes("armv6m/emlearn_neighbors/lib/1-libgcc.a"), path: "libgcc.a")
        let all = try full.loadMembers()
        let members = all.filter { $0.name != dropped }
        XCTAssertEqual(members.count, all.count - 1, "the fixture archive has \(dropped)")
        return try ArchiveReader.index(members: members, path: "libgcc.a")
    }

    func testSymbolMissingFromEveryArchiveNamesTheModuleObjectThatNeedsIt() throws {
        let request = LinkRequest(arch: .armv6m, objects: [try object("armv6m/emlearn_neighbors/neighbors.o")],
                                  archives: [try neighborsArchive(without: "_udivsi3.o")], qstrs: [], sourceName: "m.mpy")
        guard let error = linkError(request) else { return }
        XCTAssertTrue(error.description.contains("neighbors.o: undefined symbol '__aeabi_uidiv'"), error.description)
    }

    func testSymbolMissingFromEveryArchiveNamesTheArchiveMemberThatNeedsIt() throws {
        let request = LinkRequest(arch: .armv6m, objects: [try object("armv6m/emlearn_neighbors/neighbors.o")],
                                  archives: [try neighborsArchive(without: "_dvmd_tls.o")], qstrs: [], sourceName: "m.mpy")
        guard let error = linkError(request) else { return }
        guard case .undefinedSymbols(let list) = error else { return XCTFail("\(error)") }
        XCTAssertEqual(list.map(\.symbol), ["__aeabi_idiv0"])
        XCTAssertEqual(list.map(\.neededBy), ["libgcc.a(_udivsi3.o)"])
        XCTAssertTrue(error.description.contains("libgcc.a(_udivsi3.o): undefined symbol '__aeabi_idiv0'"), error.description)
    }

    // MARK: - Inputs that are not what the link needs

    func testNonELFInputNamesTheFile() {
        XCTAssertThrowsError(try ObjectReader.read(bytes: Array("just some notes\n".utf8), name: "notes.txt")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("notes.txt"), text)
            XCTAssertTrue(text.contains("not an ELF object"), text)
        }
    }

    func testWrongMachineNamesTheObjectAndTheExpectedMachine() throws {
        let arm = try object("armv7emsp/emlearn_iir/iir.o")
        let request = LinkRequest(arch: .x64, objects: [arm], qstrs: [], sourceName: "m.mpy")
        guard let error = linkError(request) else { return }
        guard case .wrongMachine(let name, let found, let arch) = error else { return XCTFail("\(error)") }
        XCTAssertEqual(name, "iir.o")
        XCTAssertEqual(found, Machine.arm)
        XCTAssertEqual(arch, .x64)
        XCTAssertTrue(error.description.contains("iir.o"), error.description)
        XCTAssertTrue(error.description.contains(Machine.name(Machine.arm)), error.description)
        XCTAssertTrue(error.description.contains(Machine.name(Machine.x86_64)), error.description)
    }

    /// Every proper prefix of a real object is an error (from the reader or the linker), never a crash.
    func testEveryTruncationOfAnObjectIsAnErrorNotACrash() throws {
        let bytes = try fixtureBytes("x64/emlearn_arrayutils/arrayutils.o")
        XCTAssertNoThrow(try ObjectReader.read(bytes: bytes, name: "arrayutils.o"))
        for length in 0..<bytes.count {
            do {
                let object = try ObjectReader.read(bytes: Array(bytes[0..<length]), name: "arrayutils.o")
                _ = try Linker.link(LinkRequest(arch: .x64, objects: [object], qstrs: [], sourceName: "m.mpy"))
                XCTFail("a \(length)-byte prefix of a \(bytes.count)-byte object linked")
            } catch let error as ELFError {
                XCTAssertTrue(error.description.contains("arrayutils.o"), "prefix \(length): \(error)")
            } catch is LinkError {
                continue
            }
        }
    }

    /// The first RELA entry of the first relocation table for .text in an ELF64 object: its
    /// file offset, and the section it patches.
    private func firstTextRelocation(in bytes: [UInt8]) -> (entryOffset: Int, section: String, placeOffset: UInt64)? {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func u64(_ at: Int) -> Int { u32(at) | u32(at + 4) << 32 }
        let shoff = u64(0x28), shentsize = u16(0x3A), shnum = u16(0x3C), shstrndx = u16(0x3E)
        func header(_ i: Int) -> Int { shoff + i * shentsize }
        let names = u64(header(shstrndx) + 0x18)
        func name(_ i: Int) -> String {
            var at = names + u32(header(i))
            var text: [UInt8] = []
            while bytes[at] != 0 { text.append(bytes[at]); at += 1 }
            return String(decoding: text, as: UTF8.self)
        }
        for i in 0..<shnum where u32(header(i) + 4) == Int(SectionType.rela) {
            let target = u32(header(i) + 0x2C)
            guard name(target).hasPrefix(".text") else { continue }
            let entry = u64(header(i) + 0x18)
            return (entry, name(target), UInt64(u64(entry)))
        }
        return nil
    }

    func testUnknownRelocationTypeNamesTypeSectionOffsetAndObject() throws {
        var bytes = try fixtureBytes("x64/emlearn_iir/iir.o")
        guard let relocation = firstTextRelocation(in: bytes) else { return XCTFail("iir.o has no .text relocations") }
        bytes[relocation.entryOffset + 8] = 0xEE  // r_info's type byte: 238, which no x86-64 psABI defines
        let patched = try ObjectReader.read(bytes: bytes, name: "iir-patched.o")
        let request = LinkRequest(arch: .x64, objects: [patched], qstrs: ["dummy"], sourceName: "m.mpy")
        guard let error = linkError(request) else { return }
        guard case .unknownRelocation(let object, let section, let offset, let type, _, let arch) = error else {
            return XCTFail("\(error)")
        }
        XCTAssertEqual(object, "iir-patched.o")
        XCTAssertEqual(section, relocation.section)
        XCTAssertEqual(offset, relocation.placeOffset)
        XCTAssertEqual(type, 0xEE)
        XCTAssertEqual(arch, .x64)
        let text = error.description
        for part in ["iir-patched.o", relocation.section, "0x" + String(relocation.placeOffset, radix: 16), "238"] {
            XCTAssertTrue(text.contains(part), "'\(part)' missing from: \(text)")
        }
    }
}
