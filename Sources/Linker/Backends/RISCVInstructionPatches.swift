// Where RISC-V instructions keep their immediates. Each format scatters the bits of its
// immediate over the word in its own order (so that the sign bit is always bit 31 of a
// 32-bit instruction, or bit 12 of a compressed one), and a patch must touch only those bits.
// Each field has an `insert` (put a value into an instruction, keeping the other bits) and
// an `extract` (read it back, sign-extended), so tests can check one against the other.

/// The split of a 32-bit value between AUIPC/LUI (upper 20 bits) and the 12-bit signed
/// immediate of the instruction that follows. The low part is sign-extended by the
/// hardware, so the upper part is rounded up whenever bit 11 is set.
public struct RISCVSplit: Equatable {
    /// Bits 31..12 of the instruction word (already in place).
    public let upper: UInt32
    /// The 12-bit immediate, sign-extended as the CPU will.
    public let lower: Int64

    public init(_ value: Int64) {
        let word = UInt32(truncatingIfNeeded: value)
        lower = (Int64(word & 0xFFF) << 52) >> 52
        upper = (word &+ 0x800) & 0xFFFF_F000
    }

    /// `upper` as the signed value AUIPC/LUI add (what RISCVField.upper stores).
    public var upperValue: Int64 { Int64(Int32(bitPattern: upper)) }

    /// Whether AUIPC/LUI + a 12-bit immediate can form `value` (a signed 32-bit quantity,
    /// allowing for the rounding of the upper part).
    public static func reaches(_ value: Int64) -> Bool {
        value >= -0x8000_0800 && value < 0x7FFF_F800
    }
}

public enum RISCVField {
    /// U-type (AUIPC, LUI): bits 31..12 of the value are bits 31..12 of the word.
    case upper
    /// I-type (loads, ADDI, JALR): imm[11:0] in bits 31..20.
    case iType
    /// S-type (stores): imm[11:5] in bits 31..25, imm[4:0] in bits 11..7.
    case sType
    /// B-type (conditional branches): a 13-bit even offset.
    case bType
    /// J-type (JAL): a 21-bit even offset.
    case jType
    /// CB (C.BEQZ, C.BNEZ): a 9-bit even offset in a halfword.
    case compressedBranch
    /// CJ (C.J, C.JAL): a 12-bit even offset in a halfword.
    case compressedJump

    /// Width of the instruction in bytes.
    public var size: Int {
        switch self {
        case .compressedBranch, .compressedJump: return 2
        default: return 4
        }
    }

    /// Bits of the signed immediate, including the sign.
    public var bits: Int {
        switch self {
        case .upper: return 32
        case .iType, .sType: return 12
        case .bType: return 13
        case .jType: return 21
        case .compressedBranch: return 9
        case .compressedJump: return 12
        }
    }

    /// Branch and jump offsets count halfwords: bit 0 is never stored.
    public var isEven: Bool { ![.upper, .iType, .sType].contains(self) }

    /// The bits of the instruction that hold the immediate.
    var mask: UInt32 {
        switch self {
        case .upper: return 0xFFFF_F000
        case .iType: return 0xFFF0_0000
        case .sType: return 0xFE00_0F80
        case .bType: return 0xFE00_0F80
        case .jType: return 0xFFFF_F000
        case .compressedBranch: return 0x1C7C
        case .compressedJump: return 0x1FFC
        }
    }

    /// `instruction` with its immediate replaced by `value` (only the bits the format holds).
    public func insert(_ value: Int64, into instruction: UInt32) -> UInt32 {
        let v = UInt32(truncatingIfNeeded: value)
        let scattered: UInt32
        switch self {
        case .upper:
            scattered = v & 0xFFFF_F000
        case .iType:
            scattered = (v & 0xFFF) << 20
        case .sType:
            scattered = (v & 0xFE0) << 20 | (v & 0x1F) << 7
        case .bType:
            scattered = (v & 0x1000) << 19 | (v & 0x7E0) << 20 | (v & 0x1E) << 7 | (v & 0x800) >> 4
        case .jType:
            scattered = (v & 0x10_0000) << 11 | (v & 0x7FE) << 20 | (v & 0x800) << 9 | (v & 0xF_F000)
        case .compressedBranch:
            // offset[8|4:3] in bits 12..10, offset[7:6|2:1|5] in bits 6..2
            scattered = (v & 0x100) << 4 | (v & 0x18) << 7 | (v & 0xC0) >> 1 | (v & 0x6) << 2 | (v & 0x20) >> 3
        case .compressedJump:
            // offset[11|4|9:8|10|6|7|3:1|5] in bits 12..2
            scattered = (v & 0x800) << 1 | (v & 0x10) << 7 | (v & 0x300) << 1 | (v & 0x400) >> 2
                | (v & 0x40) << 1 | (v & 0x80) >> 1 | (v & 0xE) << 2 | (v & 0x20) >> 3
        }
        return instruction & ~mask | scattered & mask
    }

    /// The immediate `instruction` holds, sign-extended.
    public func extract(from instruction: UInt32) -> Int64 {
        let i = instruction
        let raw: UInt32
        switch self {
        case .upper: raw = i & 0xFFFF_F000
        case .iType: raw = i >> 20
        case .sType: raw = (i >> 20) & 0xFE0 | (i >> 7) & 0x1F
        case .bType: raw = (i >> 19) & 0x1000 | (i >> 20) & 0x7E0 | (i >> 7) & 0x1E | (i << 4) & 0x800
        case .jType: raw = (i >> 11) & 0x10_0000 | (i >> 20) & 0x7FE | (i >> 9) & 0x800 | i & 0xF_F000
        case .compressedBranch:
            raw = (i >> 4) & 0x100 | (i >> 7) & 0x18 | (i << 1) & 0xC0 | (i >> 2) & 0x6 | (i << 3) & 0x20
        case .compressedJump:
            raw = (i >> 1) & 0x800 | (i >> 7) & 0x10 | (i >> 1) & 0x300 | (i << 2) & 0x400
                | (i >> 1) & 0x40 | (i << 1) & 0x80 | (i >> 2) & 0xE | (i << 3) & 0x20
        }
        let unused = 64 - bits
        return (Int64(raw) << unused) >> unused
    }

    /// Whether `value` can be stored without losing bits.
    public func holds(_ value: Int64) -> Bool {
        if isEven && value & 1 != 0 { return false }
        return fitsSigned(value, bits: bits - 1)
    }
}
