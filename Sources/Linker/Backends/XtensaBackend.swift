import ELFReader
import MPYFormat

// Xtensa: xtensa (ESP8266, LX106 core, CALL0 ABI) and xtensawin (ESP32/-S2/-S3, windowed
// ABI), per the Xtensa ELF conventions of GNU binutils. Objects use RELA, but the
// assembler also leaves addends in place (a section-symbol word in a literal pool holds its
// offset in the word itself), so words are added to, never overwritten.
//
// The quirks that shape this file:
// - Xtensa has no PC-relative data addressing and gcc has no real -fpic for it. Every
//   address or large constant is a word in a .literal pool, loaded with L32R. The linker
//   does not copy the pools: LiteralPools.swift turns each word that points somewhere into
//   a GOT entry (which the loader relocates) and each plain constant into a word of a
//   shared literal table. An L32R (R_XTENSA_SLOT0_OP against the pool) is then re-aimed at
//   its word's new home. L32R only reaches backwards, so the GOT and table lead the text.
// - R_XTENSA_SLOT0_OP means "the operand of slot 0", whatever the instruction is; the
//   instruction has to be decoded to know how to patch it (XtensaInstructions.swift).
//   Within one section the assembler has already resolved branches and calls, but a CALLn
//   or J into another section (libgcc members call each other with CALL0, and objects
//   built without -fpic do too) holds zero and must be computed. Upstream mpy_ld.py skips
//   every SLOT0_OP into code, which leaves those calls jumping to the next instruction.
// - R_XTENSA_32 outside the pools (switch tables in .rodata, pointers in .data.rel.ro) is
//   an absolute address, which the loader relocates (upstream writes a PC-relative
//   distance there instead).
// - DIFF*/PDIFF*/NDIFF* (label differences kept for relaxation) and ASM_EXPAND/ASM_SIMPLIFY
//   (hints that a macro was expanded) need nothing when they concern code: we never relax.
// - memset/memmove reached through a literal become a GOT word holding the mp_fun_table
//   entry (upstream's way); a direct CALLn to them (code built without -fpic) goes to a
//   stub. The entry jump is a J (+-128 KiB).
// - lx106 gcc emits only CALL0; the windowed CALL4/8/12 of ESP32 code decode and patch the
//   same way, but no compiler here produces them to test with.
struct XtensaBackend: ArchBackend {
    let arch: NativeArch
    var machine: UInt16 { Machine.xtensa }
    var usesLiteralPools: Bool { true }
    var separateRodata: Bool { arch == .xtensawin }
    /// ESP8266/ESP32 instruction RAM allows only aligned 32-bit access.
    var textIsWritable: Bool { false }

    enum Reloc {
        static let none: UInt32 = 0, abs32: UInt32 = 1, plt: UInt32 = 6
        static let asmExpand: UInt32 = 11, asmSimplify: UInt32 = 12, pcrel32: UInt32 = 14
        /// DIFF8/16/32, and PDIFF8/16/32 + NDIFF8/16/32.
        static let differences: ClosedRange<UInt32> = 17...19, signedDifferences: ClosedRange<UInt32> = 57...62
        static let slot0Op: UInt32 = 20
        static let threadLocal: ClosedRange<UInt32> = 50...56
    }

    func createsGOTEntry(_ type: UInt32) -> Bool { false }
    func isAbsoluteWord(_ type: UInt32) -> Bool { type == Reloc.abs32 }
    func isTestedTextAlignment(_ alignment: Int) -> Bool { alignment == 4 }

    func applyCodeRelocation(_ site: RelocationSite, _ link: LinkContext) throws {
        switch site.type {
        case Reloc.slot0Op:
            try patchSlot0Operand(site, link)
        case Reloc.abs32:
            try link.absoluteWord(site)
        case Reloc.pcrel32:
            try link.addToWord(site, try link.fixedAddress(site) + site.A - site.P)
        case Reloc.asmExpand, Reloc.asmSimplify, Reloc.differences, Reloc.signedDifferences:
            guard targetIsCode(site, link) else {
                throw link.error(site, "relocation type \(site.type) (a relaxation note or label difference) refers outside the code; this linker only knows it within code")
            }
        case Reloc.none:
            return
        case Reloc.threadLocal:
            throw link.error(site, "relocation type \(site.type) is a thread-local storage relocation; a native module has no thread-local storage (remove _Thread_local / __thread)")
        default:
            throw link.unknown(site)
        }
    }

    private func patchSlot0Operand(_ site: RelocationSite, _ link: LinkContext) throws {
        let word = UInt32(try link.read(site, size: 3))
        let instruction = XtensaInstruction(word)
        let target: Int64
        if link.targetsLiteralPool(site) {
            guard instruction == .l32r else {
                throw link.error(site, "a literal-pool reference must be an L32R, found opcode 0x\(String(word & 0xF, radix: 16))")
            }
            target = try link.literalAddress(site)
        } else if instruction == .other {
            // Branches and loops: resolved by the assembler, and only ever within a section.
            guard inSameSection(site, link) else {
                throw link.error(site, "a branch (opcode word 0x\(String(word, radix: 16))) into another section cannot be patched; only L32R, CALLn and J can")
            }
            return
        } else {
            target = try link.fixedAddress(site) + site.A
        }
        guard let operand = instruction.operand(from: site.P, to: target) else {
            throw link.outOfRange(site, target - site.P, instruction.reach)
        }
        try link.write(site, size: 3, UInt64(instruction.inserting(operand, into: word)))
    }

    private func inSameSection(_ site: RelocationSite, _ link: LinkContext) -> Bool {
        if case .section(let id, _)? = link.place(of: site.symbol) { return id == site.sectionID }
        return false
    }

    private func targetIsCode(_ site: RelocationSite, _ link: LinkContext) -> Bool {
        guard case .section(let id, _)? = link.place(of: site.symbol) else { return true }
        return link.sections[id].isText
    }

    /// `J mpy_init`: three bytes, padded to the text alignment by the layout pass.
    func entryJump(to target: Int) -> [UInt8]? {
        guard let operand = XtensaInstruction.jump.operand(from: 0, to: Int64(target)) else { return nil }
        let word = XtensaInstruction.jump.inserting(operand, into: 0x06)
        return [UInt8(word & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word >> 16 & 0xFF)]
    }

    /// Code built with -fpic calls memset/memmove through a literal word, which becomes a GOT
    /// word holding the table entry (as upstream links it), so it needs no stub. Code built
    /// without -fpic calls them with CALLn (windowed) or CALL0 directly; that call reaches
    /// this: the pointer word, then `l32r a9, <word>; jx a9`. a9 is free at a call's target in
    /// both ABIs (CALL0: a caller-saved temporary; CALL8: the callee's stack pointer once its
    /// ENTRY runs, and ENTRY is the real function's, which then rotates the window as if
    /// called from the caller itself).
    func functionTableStub(calledDirectly: Bool) -> FunctionTableStub? {
        guard calledDirectly else { return nil }
        // L32R a9 with offset -1 word (the word just before, from the word-aligned PC + 3).
        let l32rA9: [UInt8] = [0x91, 0xFF, 0xFF]
        let jxA9: [UInt8] = [0xA0, 0x09, 0x00]
        return FunctionTableStub(code: [0, 0, 0, 0] + l32rA9 + jxA9, pointerOffset: 0, entryOffset: 4)
    }
}
