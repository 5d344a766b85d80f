import ELFReader
import MPYFormat

// RISC-V (rv32imc, rv64imc), per the RISC-V ELF psABI. Objects use RELA: the addend is in
// the relocation, and the field being patched holds zero.
//
// The quirks that shape this file:
// - A 32-bit PC-relative reach takes two instructions: AUIPC (upper 20 bits, relocation
//   *_HI20 at the AUIPC) and an ADDI/load/store (lower 12 bits, *_LO12 at that instruction).
//   The PC-relative LO12 does not name the target: its symbol is a local label on the AUIPC,
//   and its value is "the low part of whatever the HI20 at that label computed". So each
//   HI20 leaves its value in `link.pairedValues` under the AUIPC's place, and the LO12 looks
//   it up there. The low part is sign-extended by the CPU, so the upper part is rounded up
//   when bit 11 is set (RISCVSplit).
// - Immediates are scattered over the instruction word in a different order per format;
//   RISCVInstructionPatches.swift holds the bit layouts.
// - The assembler emits R_RISCV_RELAX / R_RISCV_ALIGN hints so a linker may shorten
//   sequences. We never relax (the code keeps its size, so no offset moves) and ignore both;
//   natmods are compiled with -mno-relax anyway.
// - ADD/SUB/SET pairs express label differences (switch tables, exception-table lengths):
//   each adds or subtracts S + A into a field of 6 to 64 bits. Only differences are
//   meaningful, and those do not depend on where the loader puts the text.
// - Thread-local storage and ULEB128 label differences have no meaning in a native module
//   and are rejected by name.
// - memset/memmove calls reach a small stub (auipc; c.lw; c.jr) whose pointer word the
//   loader fills from mp_fun_table, exactly as upstream mpy_ld.py lays it out.
//
// Outputs are byte-for-byte those of MicroPython's tools/mpy_ld.py for the objects it links,
// including one oddity kept for that: R_RISCV_32/64 relocations (absolute pointers in
// .data.rel.ro) give their global target a GOT entry, though no code reads it.
struct RISCVBackend: ArchBackend {
    let arch: NativeArch
    var machine: UInt16 { Machine.riscv }
    var usesLiteralPools: Bool { false }
    var separateRodata: Bool { false }
    /// ESP32-C3/C6 execute from instruction RAM, not writable as data.
    var textIsWritable: Bool { false }

    enum Reloc {
        static let none: UInt32 = 0, abs32: UInt32 = 1, abs64: UInt32 = 2
        static let branch: UInt32 = 16, jal: UInt32 = 17, call: UInt32 = 18, callPLT: UInt32 = 19
        static let gotHI20: UInt32 = 20, tlsGotHI20: UInt32 = 21, tlsGdHI20: UInt32 = 22
        static let pcrelHI20: UInt32 = 23, pcrelLO12I: UInt32 = 24, pcrelLO12S: UInt32 = 25
        static let hi20: UInt32 = 26, lo12I: UInt32 = 27, lo12S: UInt32 = 28
        static let tprel: ClosedRange<UInt32> = 29...32
        static let add8: UInt32 = 33, add16: UInt32 = 34, add32: UInt32 = 35, add64: UInt32 = 36
        static let sub8: UInt32 = 37, sub16: UInt32 = 38, sub32: UInt32 = 39, sub64: UInt32 = 40
        static let got32PCRel: UInt32 = 41, align: UInt32 = 43, rvcBranch: UInt32 = 44, rvcJump: UInt32 = 45
        static let relax: UInt32 = 51, sub6: UInt32 = 52, set6: UInt32 = 53, set8: UInt32 = 54
        static let set16: UInt32 = 55, set32: UInt32 = 56, pcrel32: UInt32 = 57, plt32: UInt32 = 59
        static let uleb128: ClosedRange<UInt32> = 60...61
        static let tlsDescriptor: ClosedRange<UInt32> = 62...65
    }

    /// The word-sized absolute relocation of this arch (the other one is not a pointer here).
    var absoluteWordType: UInt32 { arch == .rv64imc ? Reloc.abs64 : Reloc.abs32 }

    func createsGOTEntry(_ type: UInt32) -> Bool {
        type == Reloc.gotHI20 || type == Reloc.got32PCRel || type == absoluteWordType
    }

    func isAbsoluteWord(_ type: UInt32) -> Bool { type == absoluteWordType }
    func isTestedTextAlignment(_ alignment: Int) -> Bool { alignment == 2 }

    func applyCodeRelocation(_ site: RelocationSite, _ link: LinkContext) throws {
        switch site.type {
        case Reloc.pcrelHI20:
            try patchUpper(site, link, try link.fixedAddress(site) + site.A - site.P)
        case Reloc.gotHI20:
            try patchUpper(site, link, link.gotAddress + (try link.gotOffset(site)) + site.A - site.P)
        case Reloc.pcrelLO12I:
            try patch(.iType, site, link, try pairedLowPart(site, link))
        case Reloc.pcrelLO12S:
            try patch(.sType, site, link, try pairedLowPart(site, link))
        case Reloc.hi20:
            try patch(.upper, site, link, RISCVSplit(try loadTimeConstant(site, link)).upperValue)
        case Reloc.lo12I:
            try patch(.iType, site, link, RISCVSplit(try loadTimeConstant(site, link)).lower)
        case Reloc.lo12S:
            try patch(.sType, site, link, RISCVSplit(try loadTimeConstant(site, link)).lower)
        case Reloc.call, Reloc.callPLT:
            let distance = try link.fixedAddress(site) + site.A - site.P
            try patchUpper(site, link, distance)
            try patch(.iType, site, link, RISCVSplit(distance).lower, at: 4)
        case Reloc.jal:
            try patch(.jType, site, link, try link.fixedAddress(site) + site.A - site.P)
        case Reloc.branch:
            try patch(.bType, site, link, try link.fixedAddress(site) + site.A - site.P)
        case Reloc.rvcBranch:
            try patch(.compressedBranch, site, link, try link.fixedAddress(site) + site.A - site.P)
        case Reloc.rvcJump:
            try patch(.compressedJump, site, link, try link.fixedAddress(site) + site.A - site.P)
        case Reloc.pcrel32, Reloc.plt32:
            try write32(site, link, try link.fixedAddress(site) + site.A - site.P)
        case Reloc.got32PCRel:
            try write32(site, link, link.gotAddress + (try link.gotOffset(site)) + site.A - site.P)
        case Reloc.add8, Reloc.add16, Reloc.add32, Reloc.add64:
            try addToField(site, link, bits: 8 << Int(site.type - Reloc.add8), try link.fixedAddress(site) + site.A)
        case Reloc.sub8, Reloc.sub16, Reloc.sub32, Reloc.sub64:
            try addToField(site, link, bits: 8 << Int(site.type - Reloc.sub8), -(try link.fixedAddress(site) + site.A))
        case Reloc.sub6:
            try addToField(site, link, bits: 6, -(try link.fixedAddress(site) + site.A))
        case Reloc.set6, Reloc.set8, Reloc.set16, Reloc.set32:
            let bits = [6, 8, 16, 32][Int(site.type - Reloc.set6)]
            try setField(site, link, bits: bits, try link.fixedAddress(site) + site.A)
        case absoluteWordType:
            try link.absoluteWord(site)
        case Reloc.relax, Reloc.align, Reloc.none:
            return
        case Reloc.tlsGotHI20, Reloc.tlsGdHI20, Reloc.tlsDescriptor, Reloc.tprel:
            throw link.error(site, "\(Self.name(site.type)) is a thread-local storage relocation; a native module has no thread-local storage (remove _Thread_local / __thread)")
        case Reloc.uleb128:
            throw link.error(site, "\(Self.name(site.type)) (a ULEB128 label difference, used by exception tables) is not supported; compile with -fno-exceptions -fno-asynchronous-unwind-tables")
        default:
            throw link.unknown(site)
        }
    }

    /// AUIPC's upper immediate, and the full value kept for the LO12 that pairs with it.
    private func patchUpper(_ site: RelocationSite, _ link: LinkContext, _ value: Int64) throws {
        guard RISCVSplit.reaches(value) else { throw link.outOfRange(site, value, "the +-2 GiB reach of auipc") }
        link.pairedValues[site.P] = value
        try patch(.upper, site, link, RISCVSplit(value).upperValue)
    }

    /// The low part of the value the HI20 relocation at the LO12's label computed.
    private func pairedLowPart(_ site: RelocationSite, _ link: LinkContext) throws -> Int64 {
        let label = try link.fixedAddress(site)
        guard let value = link.pairedValues[label] else {
            throw link.error(site, "no R_RISCV_PCREL_HI20 or R_RISCV_GOT_HI20 relocation at '\(site.symbolName)' (text offset \(label)) for this low-part relocation to pair with")
        }
        return RISCVSplit(value).lower
    }

    /// HI20/LO12 without PCREL form an absolute address (lui + addi), which the loader cannot
    /// relocate; only a symbol at a fixed address (--extern) can be reached that way.
    private func loadTimeConstant(_ site: RelocationSite, _ link: LinkContext) throws -> Int64 {
        if case .fixedAddress(let address)? = link.place(of: site.symbol) { return Int64(address) + site.A }
        throw link.error(site, "\(Self.name(site.type)) builds an absolute address with lui, which the loader cannot relocate; compile with -fpic (or -mcmodel=medany)")
    }

    private func patch(_ field: RISCVField, _ site: RelocationSite, _ link: LinkContext, _ value: Int64, at delta: Int64 = 0) throws {
        guard field.holds(value) else {
            throw link.outOfRange(site, value, "[-2^\(field.bits - 1), 2^\(field.bits - 1))\(field.isEven ? ", even" : "")")
        }
        let instruction = UInt32(try link.read(site, at: delta, size: field.size))
        try link.write(site, at: delta, size: field.size, UInt64(field.insert(value, into: instruction)))
    }

    private func write32(_ site: RelocationSite, _ link: LinkContext, _ value: Int64) throws {
        guard fitsSigned(value, bits: 31) else { throw link.outOfRange(site, value, "[-2^31, 2^31)") }
        try link.write(site, size: 4, UInt64(UInt32(truncatingIfNeeded: value)))
    }

    /// ADD*/SUB*: the low `bits` of the field move by `value`; the bits above stay.
    private func addToField(_ site: RelocationSite, _ link: LinkContext, bits: Int, _ value: Int64) throws {
        let size = max(1, bits / 8)
        let existing = try link.read(site, size: size)
        let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
        let sum = (existing & mask) &+ UInt64(bitPattern: value)
        try link.write(site, size: size, existing & ~mask | sum & mask)
    }

    /// SET*: the low `bits` of the field become `value`.
    private func setField(_ site: RelocationSite, _ link: LinkContext, bits: Int, _ value: Int64) throws {
        let size = max(1, bits / 8)
        let existing = try link.read(site, size: size)
        let mask: UInt64 = (1 << UInt64(bits)) - 1
        try link.write(site, size: size, existing & ~mask | UInt64(bitPattern: value) & mask)
    }

    static func name(_ type: UInt32) -> String {
        let names: [UInt32: String] = [
            21: "R_RISCV_TLS_GOT_HI20", 22: "R_RISCV_TLS_GD_HI20", 26: "R_RISCV_HI20", 27: "R_RISCV_LO12_I",
            28: "R_RISCV_LO12_S", 29: "R_RISCV_TPREL_HI20", 30: "R_RISCV_TPREL_LO12_I", 31: "R_RISCV_TPREL_LO12_S",
            32: "R_RISCV_TPREL_ADD", 60: "R_RISCV_SET_ULEB128", 61: "R_RISCV_SUB_ULEB128", 62: "R_RISCV_TLSDESC_HI20",
            63: "R_RISCV_TLSDESC_LOAD_LO12", 64: "R_RISCV_TLSDESC_ADD_LO12", 65: "R_RISCV_TLSDESC_CALL",
        ]
        return names[type].map { "\($0) (type \(type))" } ?? "relocation type \(type)"
    }

    // MARK: - Code the linker writes

    /// `c.j` when the target is within +-2 KiB, else `auipc t6` + `jalr zero, t6`.
    func entryJump(to target: Int) -> [UInt8]? {
        let offset = Int64(target)
        if RISCVField.compressedJump.holds(offset) {
            return halfwords([UInt16(RISCVField.compressedJump.insert(offset, into: RISCVEncoding.cJ))])
        }
        guard RISCVSplit.reaches(offset), offset & 1 == 0 else { return nil }
        let split = RISCVSplit(offset)
        let auipc = RISCVEncoding.auipc(rd: RISCVEncoding.t6) | split.upper
        let jalr = RISCVField.iType.insert(split.lower, into: RISCVEncoding.jalr(rd: 0, rs1: RISCVEncoding.t6))
        return words([auipc, jalr])
    }

    /// `auipc a3, 0; c.lw a3, 8(a3) (c.ld on rv64); c.jr a3`, then the pointer word at 8.
    func functionTableStub(calledDirectly: Bool) -> FunctionTableStub? {
        let a3 = RISCVEncoding.a3
        let load = arch == .rv64imc ? RISCVEncoding.cLd(rd: a3, rs1: a3, offset: 8) : RISCVEncoding.cLw(rd: a3, rs1: a3, offset: 8)
        let code = words([RISCVEncoding.auipc(rd: a3)]) + halfwords([load, RISCVEncoding.cJr(rs1: a3)])
        return FunctionTableStub(code: code + [UInt8](repeating: 0, count: arch.wordSize), pointerOffset: 8, entryOffset: 0)
    }

    private func halfwords(_ values: [UInt16]) -> [UInt8] { values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
    private func words(_ values: [UInt32]) -> [UInt8] { values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } } }
}

/// The few whole instructions the linker writes itself (immediates left zero).
enum RISCVEncoding {
    static let t6: UInt32 = 31, a3: UInt32 = 13
    /// c.j with offset 0 (quadrant 1, funct3 101).
    static let cJ: UInt32 = 0xA001

    static func auipc(rd: UInt32) -> UInt32 { 0x17 | rd << 7 }
    static func jalr(rd: UInt32, rs1: UInt32) -> UInt32 { 0x67 | rd << 7 | rs1 << 15 }
    static func cJr(rs1: UInt32) -> UInt16 { UInt16(0x8002 | rs1 << 7) }

    /// c.lw / c.ld: registers x8..x15 only (3-bit fields); offset bits 5:3 in 12:10.
    static func cLw(rd: UInt32, rs1: UInt32, offset: UInt32) -> UInt16 {
        UInt16(0x4000 | compressedLoad(rd: rd, rs1: rs1) | (offset & 0x38) << 7 | (offset & 0x4) << 4 | (offset & 0x40) >> 1)
    }

    static func cLd(rd: UInt32, rs1: UInt32, offset: UInt32) -> UInt16 {
        UInt16(0x6000 | compressedLoad(rd: rd, rs1: rs1) | (offset & 0x38) << 7 | (offset & 0xC0) >> 1)
    }

    private static func compressedLoad(rd: UInt32, rs1: UInt32) -> UInt32 { (rs1 - 8) << 7 | (rd - 8) << 2 }
}
