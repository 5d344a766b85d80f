import ELFReader
import MPYFormat

// x86 and x86-64 (System V psABI, i386 and AMD64 supplements).
//
// Native modules are compiled with -fpic: calls to the module's own functions are PC-relative
// (PC32/PLT32), and anything MicroPython provides at load time is read through the GOT
// (GOTPCREL on x64; on i386 the GOT is found with GOTPC and entries are GOT32 offsets).
// Every value here is a 32-bit field the relocation adds to (REL keeps the addend in place,
// RELA stores 0 there), so one write, `addToWord`, serves all cases.
struct X86Backend: ArchBackend {
    let arch: NativeArch
    var machine: UInt16 { arch == .x64 ? Machine.x86_64 : Machine.i386 }
    var usesLiteralPools: Bool { false }
    var separateRodata: Bool { false }
    /// The unix port maps native code read-write-execute.
    var textIsWritable: Bool { true }

    // i386 relocation types.
    static let r386_32: UInt32 = 1, r386_PC32: UInt32 = 2, r386_GOT32: UInt32 = 3, r386_PLT32: UInt32 = 4
    static let r386_GOTOFF: UInt32 = 9, r386_GOTPC: UInt32 = 10, r386_GOT32X: UInt32 = 43
    // x86-64 relocation types.
    static let rX64_64: UInt32 = 1, rX64_PC32: UInt32 = 2, rX64_PLT32: UInt32 = 4, rX64_GOTPCREL: UInt32 = 9
    static let rX64_GOTPCRELX: UInt32 = 41, rX64_REX_GOTPCRELX: UInt32 = 42

    func createsGOTEntry(_ type: UInt32) -> Bool {
        if arch == .x64 {
            return [Self.rX64_GOTPCREL, Self.rX64_GOTPCRELX, Self.rX64_REX_GOTPCRELX].contains(type)
        }
        // Upstream also gives PC32 targets a GOT entry on i386; kept so outputs are identical.
        return [Self.r386_PC32, Self.r386_GOT32, Self.r386_GOT32X].contains(type)
    }

    func isAbsoluteWord(_ type: UInt32) -> Bool {
        arch == .x64 ? type == Self.rX64_64 : type == Self.r386_32
    }

    func isTestedTextAlignment(_ alignment: Int) -> Bool { alignment == 1 || alignment == 4 }

    func applyCodeRelocation(_ site: RelocationSite, _ link: LinkContext) throws {
        arch == .x64 ? try applyX64(site, link) : try applyI386(site, link)
    }

    private func applyX64(_ site: RelocationSite, _ link: LinkContext) throws {
        switch site.type {
        case Self.rX64_PC32, Self.rX64_PLT32:
            try addPCRelative32(site, link, try link.fixedAddress(site) + site.A - site.P)
        case Self.rX64_GOTPCREL, Self.rX64_GOTPCRELX, Self.rX64_REX_GOTPCRELX:
            try addPCRelative32(site, link, link.gotAddress + (try link.gotOffset(site)) + site.A - site.P)
        case Self.rX64_64:
            try link.absoluteWord(site)
        default:
            throw link.unknown(site)
        }
    }

    private func applyI386(_ site: RelocationSite, _ link: LinkContext) throws {
        switch site.type {
        case Self.r386_PC32, Self.r386_PLT32:
            try link.addToWord(site, try link.fixedAddress(site) + site.A - site.P)
        case Self.r386_GOTPC:
            try link.addToWord(site, link.gotAddress + site.A - site.P)
        case Self.r386_GOT32, Self.r386_GOT32X:
            try link.addToWord(site, try link.gotOffset(site))
        case Self.r386_GOTOFF:
            try link.addToWord(site, try link.fixedAddress(site) + site.A - link.gotAddress)
        case Self.r386_32:
            try link.absoluteWord(site)
        default:
            throw link.unknown(site)
        }
    }

    private func addPCRelative32(_ site: RelocationSite, _ link: LinkContext, _ value: Int64) throws {
        guard fitsSigned(value, bits: 31) else { throw link.outOfRange(site, value, "[-2^31, 2^31)") }
        try link.addToWord(site, value)
    }

    /// `jmp rel8` when the target is near, else `jmp rel32`.
    func entryJump(to target: Int) -> [UInt8]? {
        let short = Int64(target) - 2
        if fitsSigned(short, bits: 7) { return [0xEB, UInt8(truncatingIfNeeded: short)] }
        let near = Int64(target) - 5
        guard fitsSigned(near, bits: 31) else { return nil }
        var out: [UInt8] = [0xE9, 0, 0, 0, 0]
        out.writeU32(1, UInt32(truncatingIfNeeded: near))
        return out
    }

    /// x64: six NOPs, `movabs rax, PTR`, `jmp rax` (the pointer word is 8-byte aligned).
    /// i386: three NOPs, `mov eax, PTR`, `jmp eax`.
    func functionTableStub(calledDirectly: Bool) -> FunctionTableStub? {
        let jumpThroughAccumulator: [UInt8] = [0xFF, 0xE0]
        if arch == .x64 {
            return FunctionTableStub(code: [0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x48, 0xB8] + [UInt8](repeating: 0, count: 8) + jumpThroughAccumulator,
                                     pointerOffset: 8, entryOffset: 0)
        }
        return FunctionTableStub(code: [0x90, 0x90, 0x90, 0xB8] + [UInt8](repeating: 0, count: 4) + jumpThroughAccumulator,
                                 pointerOffset: 4, entryOffset: 0)
    }
}
