import MPYFormat
import XCTest

final class NativeModuleWriterTests: XCTestCase {
    func testHeaderQstrsAndCodeLayout() {
        let image = NativeModuleImage(arch: .armv7emsp, abi: .v6_3, sourceName: "mod.mpy", qstrs: ["add", "__init__"],
                                      text: [0xAA, 0xBB], relocations: [])
        let bytes = NativeModuleWriter.encode(image)
        // 'M', version 6, arch 7 << 2 | sub-version 3, small-int bits.
        XCTAssertEqual(Array(bytes.prefix(4)), [0x4D, 6, 7 << 2 | 3, 31])
        XCTAssertEqual(bytes[4], 3, "qstr count: the file name plus two")
        XCTAssertEqual(bytes[5], 0, "no constant objects")
        // "mod.mpy" inline, "add" inline, "__init__" is a static qstr referenced by number.
        XCTAssertEqual(Array(bytes[6..<15]), [7 << 1] + Array("mod.mpy".utf8) + [0])
        XCTAssertEqual(Array(bytes[15..<20]), [3 << 1] + Array("add".utf8) + [0])
        let initNumber = StaticQstrs.numberByText["__init__"]!
        XCTAssertEqual(bytes[20], UInt8(initNumber << 1 | 1))
        // kind/len: text length 2, native viper (kind 4 - 2 = 2).
        XCTAssertEqual(bytes[21], 2 << 3 | 2)
        XCTAssertEqual(Array(bytes[22..<24]), [0xAA, 0xBB])
        XCTAssertEqual(bytes[24], UInt8(MPY.ScopeFlag.viperRelocations))
        XCTAssertEqual(bytes.last, MPY.relocationEnd)
    }

    func testArchFlagsAndRodataBssFields() {
        let image = NativeModuleImage(arch: .rv32imc, abi: .v6_3, archFlags: 3, sourceName: "m", qstrs: [],
                                      text: [0, 0, 0, 0], rodata: [1, 2], bssSize: 300, relocations: [])
        let bytes = NativeModuleWriter.encode(image)
        XCTAssertEqual(bytes[2], 11 << 2 | 3 | MPY.archFlagsPresent)
        XCTAssertEqual(bytes[4], 3, "arch flags varint follows the header")
        let scope = MPY.ScopeFlag.viperRelocations | MPY.ScopeFlag.viperRodata | MPY.ScopeFlag.viperBSS
        // scope flags, rodata size 2, bss size 300 (varint 0x82 0x2C), rodata bytes, end.
        XCTAssertEqual(Array(bytes.suffix(7)), [UInt8(scope), 2, 0x82, 0x2C, 1, 2, 0xFF])
    }
}

final class RelocationStreamTests: XCTestCase {
    func testRunsOfConsecutiveWordsShareOneEntry() {
        let relocations = (0..<3).map { NativeRelocation(region: .text, offset: 8 * (4 + $0), target: .text) }
        // kind 0 with a count: op = (0 << 1 | 1) << 1 | 1 (offset follows); offset 4 << 1 | text; count 3.
        XCTAssertEqual(RelocationStream.encode(relocations, wordSize: 8), [0b11, 4 << 1, 3, 0xFF])
    }

    let mixed = [
        NativeRelocation(region: .text, offset: 0, target: .funTableEntry(50)),
        NativeRelocation(region: .text, offset: 4, target: .funTableEntry(50)),
        NativeRelocation(region: .rodata, offset: 4, target: .qstrTable),
    ]

    func testFunTableEntriesHaveNoCountAndCarryTheirOffsetsLikeUpstream() {
        let entry: UInt8 = (9 + 50) << 1 | 1
        let expected: [UInt8] = [
            entry, 0 << 1 | 0,
            entry, 1 << 1 | 0,   // upstream repeats the offset even when it follows on
            6 << 1 | 1, 1 << 1 | 1,
            0xFF,
        ]
        XCTAssertEqual(RelocationStream.encode(mixed, wordSize: 4), expected)
    }

    func testCompactFormOmitsOffsetsWhenContiguous() {
        let kind: UInt8 = 9 + 50
        let expected: [UInt8] = [
            kind << 1 | 1, 0 << 1 | 0,  // first word, offset given
            kind << 1,                   // next word follows directly
            6 << 1 | 1, 1 << 1 | 1,      // qstr table, rodata word 1
            0xFF,
        ]
        XCTAssertEqual(RelocationStream.encode(mixed, wordSize: 4, compact: true), expected)
    }

    func testTargetKindsRoundTrip() {
        for target in [NativeRelocation.Target.text, .rodata, .bss, .qstrTable, .objTable, .funTable, .funTableEntry(73)] {
            XCTAssertEqual(NativeRelocation.Target(kind: target.kind), target)
        }
    }
}
