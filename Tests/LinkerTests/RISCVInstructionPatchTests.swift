@testable import Linker
import MPYFormat
import XCTest

/// Each RISC-V immediate format: values go in and come back out, the other bits of the
/// instruction stay, and known encodings (from riscv64-unknown-elf-as) decode as the
/// assembler meant them.
final class RISCVInstructionPatchTests: XCTestCase {
    /// Extremes, small values of both signs, and alternating bit patterns, per format.
    private let samples: [RISCVField: [Int64]] = [
        .upper: [0, 0x1000, -0x1000, 0x7FFF_F000, -0x8000_0000, 0x5555_5000, -0x2AAA_B000],
        .iType: [0, 1, -1, 2047, -2048, 0x555, -0x2AB],
        .sType: [0, 1, -1, 2047, -2048, 0x555, -0x2AB],
        .bType: [0, 2, -2, 4094, -4096, 0xAAA, -0x556],
        .jType: [0, 2, -2, 0xF_FFFE, -0x10_0000, 0x5_5554, -0x2_AAAA],
        .compressedBranch: [0, 2, -2, 254, -256, 0xAA, -0x56],
        .compressedJump: [0, 2, -2, 2046, -2048, 0x554, -0x2AA],
    ]

    func testEveryFieldGivesBackWhatWasPut() {
        for (field, values) in samples {
            for value in values {
                XCTAssertTrue(field.holds(value), "\(field) \(value)")
                for base: UInt32 in [0, 0xFFFF_FFFF, 0x1234_5678] {
                    let instruction = field.size == 2 ? base & 0xFFFF : base
                    let patched = field.insert(value, into: instruction)
                    XCTAssertEqual(field.extract(from: patched), value, "\(field) \(value)")
                    XCTAssertEqual(patched & ~field.mask, instruction & ~field.mask, "\(field) touched bits outside its immediate")
                }
            }
        }
    }

    func testRangeChecks() {
        XCTAssertTrue(RISCVField.bType.holds(4094))
        XCTAssertFalse(RISCVField.bType.holds(4096))
        XCTAssertFalse(RISCVField.bType.holds(3), "branch offsets are even")
        XCTAssertTrue(RISCVField.compressedJump.holds(-2048))
        XCTAssertFalse(RISCVField.compressedJump.holds(2048))
        XCTAssertTrue(RISCVField.iType.holds(-2048))
        XCTAssertFalse(RISCVField.iType.holds(2048))
    }

    /// Words from `riscv64-unknown-elf-as` + objdump, with the offset objdump printed.
    func testKnownEncodingsDecode() {
        XCTAssertEqual(RISCVField.compressedJump.extract(from: 0xA801), 16)          // c.j +16
        XCTAssertEqual(RISCVField.compressedJump.extract(from: 0xAFF5), 0x7FC)       // c.j +2044
        XCTAssertEqual(RISCVField.jType.extract(from: 0xFFCF_F06F), -0x804)          // jal zero, -2052
        XCTAssertEqual(RISCVField.jType.extract(from: 0xFDFB_F0EF), -0x40022)        // jal ra, -262178
        XCTAssertEqual(RISCVField.sType.extract(from: 0xFEF5_2E23), -4)              // sw a5, -4(a0)
        XCTAssertEqual(RISCVField.bType.extract(from: 0x7CB5_0163), 0x7C2)           // beq a0, a1, +1986
        XCTAssertEqual(RISCVField.compressedBranch.extract(from: 0xCD09), 0x1A)      // c.beqz a0, +26
        XCTAssertEqual(RISCVField.iType.extract(from: 0xFFFF_8067), -1)              // jalr zero, -1(t6)
        XCTAssertEqual(RISCVField.upper.extract(from: 0x1234_5F97), 0x1234_5000)     // auipc t6, 0x12345
    }

    func testKnownEncodingsAreRebuiltFromTheirValue() {
        XCTAssertEqual(RISCVField.compressedJump.insert(16, into: 0xA001), 0xA801)
        XCTAssertEqual(RISCVField.jType.insert(-0x40022, into: 0x0000_00EF), 0xFDFB_F0EF)
        XCTAssertEqual(RISCVField.sType.insert(-4, into: 0x00F5_2023), 0xFEF5_2E23)
        XCTAssertEqual(RISCVField.bType.insert(0x7C2, into: 0x00B5_0063), 0x7CB5_0163)
        XCTAssertEqual(RISCVField.compressedBranch.insert(0x1A, into: 0xC101), 0xCD09)
    }

    /// The upper part is rounded so that adding the sign-extended lower part gives the value.
    func testSplitRecombines() {
        for value: Int64 in [0, 1, 0x7FF, 0x800, 0xFFF, 0x1000, -1, -0x800, -0x801, 0x1234_5FFF, 0x7FFF_F7FF, -0x8000_0000] {
            let split = RISCVSplit(value)
            XCTAssertEqual(split.upperValue + split.lower, value, "\(value)")
            XCTAssertTrue((-2048..<2048).contains(split.lower))
            XCTAssertEqual(split.upper & 0xFFF, 0)
        }
        XCTAssertEqual(RISCVSplit(0x1234_5FFF).upper, 0x1234_6000)
        XCTAssertEqual(RISCVSplit(0x1234_5FFF).lower, -1)
        XCTAssertFalse(RISCVSplit.reaches(0x7FFF_F800))
        XCTAssertTrue(RISCVSplit.reaches(0x7FFF_F7FF))
    }

    // MARK: - Code the linker writes

    func testShortEntryJumpIsCompressedJ() throws {
        let backend = RISCVBackend(arch: .rv32imc)
        for target in [2, 16, 0x7FE] {
            let bytes = try XCTUnwrap(backend.entryJump(to: target))
            XCTAssertEqual(bytes.count, 2)
            let halfword = UInt32(bytes[0]) | UInt32(bytes[1]) << 8
            XCTAssertEqual(halfword & 0xE003, 0xA001, "c.j")
            XCTAssertEqual(RISCVField.compressedJump.extract(from: halfword), Int64(target))
        }
        XCTAssertEqual(backend.entryJump(to: 16), [0x01, 0xA8])
    }

    func testFarEntryJumpIsAuipcJalr() throws {
        let backend = RISCVBackend(arch: .rv32imc)
        for target in [0x800, 0x1234, 0xFFFE, 0x12_3456] {
            let bytes = try XCTUnwrap(backend.entryJump(to: target))
            XCTAssertEqual(bytes.count, 8)
            let auipc = word(bytes, 0), jalr = word(bytes, 4)
            XCTAssertEqual(auipc & 0xFFF, 0xF97, "auipc t6")
            XCTAssertEqual(jalr & 0xFFFFF, 0xF8067, "jalr zero, t6")
            XCTAssertEqual(RISCVField.upper.extract(from: auipc) + RISCVField.iType.extract(from: jalr), Int64(target))
        }
        // 0x1234: upper 0x1000, lower 0x234 (what upstream writes for the same target)
        XCTAssertEqual(backend.entryJump(to: 0x1234), [0x97, 0x1F, 0x00, 0x00, 0x67, 0x80, 0x4F, 0x23])
    }

    /// `auipc a3, 0; c.lw a3, 8(a3); c.jr a3` and a zero pointer word (rv64: c.ld, 8-byte word).
    func testFunctionTableStub() throws {
        let rv32 = try XCTUnwrap(RISCVBackend(arch: .rv32imc).functionTableStub(calledDirectly: true))
        XCTAssertEqual(rv32.code, [0x97, 0x06, 0x00, 0x00, 0x94, 0x46, 0x82, 0x86, 0, 0, 0, 0])
        XCTAssertEqual(rv32.pointerOffset, 8)
        let rv64 = try XCTUnwrap(RISCVBackend(arch: .rv64imc).functionTableStub(calledDirectly: true))
        XCTAssertEqual(rv64.code, [0x97, 0x06, 0x00, 0x00, 0x94, 0x66, 0x82, 0x86] + [UInt8](repeating: 0, count: 8))
        XCTAssertEqual(rv64.pointerOffset, 8)
    }

    private func word(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
    }
}
