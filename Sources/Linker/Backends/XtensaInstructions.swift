// The three Xtensa instruction formats whose PC-relative operand the linker rewrites. All
// are 24-bit, little-endian, with the major opcode (op0) in the low 4 bits:
//
//   L32R  op0 = 1   t in bits 4..7, imm16 in bits 8..23
//         loads from ((P + 3) & ~3) + (imm16 - 65536) * 4: always *below* the next word
//         boundary, 4 to 256 KiB back. That is why the GOT and literal table lead the text.
//   CALLn op0 = 5   n (0, 4, 8, 12 -> 0..3) in bits 4..5, offset18 in bits 6..23
//         calls (P & ~3) + 4 + offset18 * 4 (callees are 4-byte aligned)
//   J     op0 = 6   bits 4..5 = 0, offset18 in bits 6..23
//         jumps to P + 4 + offset18 (byte granular, no alignment)
enum XtensaInstruction: Equatable {
    case l32r
    case call(window: Int)
    case jump
    /// Anything else: branches, loops, MOVI; the assembler resolves those within a section.
    case other

    init(_ word: UInt32) {
        switch word & 0xF {
        case 1: self = .l32r
        case 5: self = .call(window: Int(word >> 4 & 3) * 4)
        case 6 where word >> 4 & 3 == 0: self = .jump
        default: self = .other
        }
    }

    /// The field value that makes the instruction at `place` reach `target`, or nil when the
    /// target is out of reach (or misaligned for the format).
    func operand(from place: Int64, to target: Int64) -> UInt32? {
        switch self {
        case .l32r:
            let distance = target - ((place + 3) & ~3)
            guard distance < 0, distance >= -(1 << 18), distance & 3 == 0 else { return nil }
            return UInt32(truncatingIfNeeded: distance >> 2) & 0xFFFF
        case .call:
            let distance = target - ((place & ~3) + 4)
            guard distance & 3 == 0, fitsSigned(distance >> 2, bits: 17) else { return nil }
            return UInt32(truncatingIfNeeded: distance >> 2) & 0x3FFFF
        case .jump:
            let distance = target - (place + 4)
            guard fitsSigned(distance, bits: 17) else { return nil }
            return UInt32(truncatingIfNeeded: distance) & 0x3FFFF
        case .other:
            return nil
        }
    }

    /// `word` with its operand field replaced.
    func inserting(_ operand: UInt32, into word: UInt32) -> UInt32 {
        switch self {
        case .l32r: return word & 0xFF | operand << 8
        case .call, .jump: return word & 0x3F | operand << 6
        case .other: return word
        }
    }

    /// The reach of the format, for errors.
    var reach: String {
        switch self {
        case .l32r: return "L32R: 4 bytes to 256 KiB before the next word boundary"
        case .call: return "CALLn: +-512 KiB, 4-byte aligned target"
        case .jump: return "J: +-128 KiB"
        case .other: return "none"
        }
    }

    var name: String {
        switch self {
        case .l32r: return "L32R"
        case .call(let window): return "CALL\(window)"
        case .jump: return "J"
        case .other: return "instruction"
        }
    }
}
