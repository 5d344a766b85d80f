import ELFReader
import MPYFormat

// ARM Thumb (armv6m: Thumb-1; armv7m/armv7emsp/armv7emdp: Thumb-2), per the ARM ELF ABI
// (AAELF32). Objects use REL: the addend sits in the instruction or word being patched.
//
// -fpic code finds the GOT through a PC-relative literal (R_ARM_BASE_PREL against
// _GLOBAL_OFFSET_TABLE_) and then loads entries by their offset (R_ARM_GOT_BREL); newer
// compilers load entries PC-relatively instead (R_ARM_GOT_PREL). Calls are BL/B.W with the
// 22-bit J1=J2=1 form that reaches +-4 MiB, which is what upstream writes too.
struct ThumbBackend: ArchBackend {
    let arch: NativeArch
    var machine: UInt16 { Machine.arm }
    var usesLiteralPools: Bool { false }
    var separateRodata: Bool { false }
    /// Cortex-M ports load native code into the GC heap (RAM).
    var textIsWritable: Bool { true }

    static let absolute32: UInt32 = 2, relative32: UInt32 = 3, thumbCall: UInt32 = 10
    static let basePCRelative: UInt32 = 25, gotBaseRelative: UInt32 = 26, thumbJump24: UInt32 = 30
    static let gotPCRelative: UInt32 = 96, none: UInt32 = 0

    func createsGOTEntry(_ type: UInt32) -> Bool { type == Self.gotBaseRelative || type == Self.gotPCRelative }
    func isAbsoluteWord(_ type: UInt32) -> Bool { type == Self.absolute32 }
    func isTestedTextAlignment(_ alignment: Int) -> Bool { alignment == 4 }

    func applyCodeRelocation(_ site: RelocationSite, _ link: LinkContext) throws {
        switch site.type {
        case Self.absolute32:
            try link.absoluteWord(site)
        case Self.relative32:
            try link.addToWord(site, try link.fixedAddress(site) + site.A - site.P)
        case Self.thumbCall, Self.thumbJump24:
            try patchBranch(site, link, try link.fixedAddress(site) - site.P)
        case Self.basePCRelative:
            try link.addToWord(site, link.gotAddress + site.A - site.P)
        case Self.gotBaseRelative:
            try link.addToWord(site, try link.gotOffset(site))
        case Self.gotPCRelative:
            try link.addToWord(site, link.gotAddress + (try link.gotOffset(site)) + site.A - site.P)
        case Self.none:
            return
        default:
            throw link.unknown(site)
        }
    }

    /// BL / B.W: the 22-bit halfword offset is split over the two halfwords; the stored
    /// value is the addend (usually -4, the pipeline offset).
    private func patchBranch(_ site: RelocationSite, _ link: LinkContext, _ distance: Int64) throws {
        var high = UInt16(try link.read(site, size: 2))
        var low = UInt16(try link.read(site, at: 2, size: 2))
        var addend = Int64(high & 0x7FF) << 12 | Int64(low & 0x7FF) << 1
        if addend >= 0x400000 { addend -= 0x800000 }
        let value = addend + distance
        guard fitsSigned(value, bits: 22) else { throw link.outOfRange(site, value, "[-4 MiB, 4 MiB)") }
        high = high & 0xF800 | UInt16((value >> 12) & 0x7FF)
        low = low & 0xF800 | UInt16((value >> 1) & 0x7FF)
        try link.write(site, size: 2, UInt64(high))
        try link.write(site, at: 2, size: 2, UInt64(low))
    }

    /// A `b` when it reaches; otherwise Thumb-2 uses `b.w`, and Thumb-1 (no b.w) calls
    /// through `push {r0, lr}; bl; pop {r0, pc}`.
    func entryJump(to target: Int) -> [UInt8]? {
        var offset = Int64(target) - 4
        if fitsSigned(offset, bits: 11) {
            return halfwords([0xE000 | UInt16((offset >> 1) & 0x7FF)])
        }
        if arch == .armv6m {
            offset -= 2  // the push comes first
            return halfwords([0xB501, 0xF000 | UInt16((offset >> 12) & 0x7FF), 0xF800 | UInt16((offset >> 1) & 0x7FF), 0xBD01])
        }
        return halfwords([0xF000 | UInt16((offset >> 12) & 0x7FF), 0xB800 | UInt16((offset >> 1) & 0x7FF)])
    }

    /// `ldr r3, [pc, #0]; bx r3` followed by the pointer word.
    func functionTableStub(calledDirectly: Bool) -> FunctionTableStub? {
        FunctionTableStub(code: halfwords([0x4B00, 0x4718]) + [0, 0, 0, 0], pointerOffset: 4, entryOffset: 0)
    }

    private func halfwords(_ values: [UInt16]) -> [UInt8] {
        values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }
}
