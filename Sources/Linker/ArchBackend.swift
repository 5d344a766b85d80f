import ELFReader
import MPYFormat

/// What differs between processor families. The generic passes (load, resolve, GOT, layout,
/// relocate, emit) never ask which arch they link for; they ask the backend.
public protocol ArchBackend: Sendable {
    var arch: NativeArch { get }
    /// e_machine the objects must have.
    var machine: UInt16 { get }
    /// Relocation types that reach a global symbol through a GOT entry.
    func createsGOTEntry(_ type: UInt32) -> Bool
    /// Xtensa keeps constants in .literal sections that become the GOT and a literal table.
    var usesLiteralPools: Bool { get }
    /// xtensawin loads rodata apart from the (instruction-memory) text.
    var separateRodata: Bool { get }
    /// Whether MicroPython's ports for this arch load native text into writable memory
    /// (unix: an RWX mapping; Cortex-M: the GC heap), so that initialised data and static
    /// zero-initialised variables can travel inside the text.
    var textIsWritable: Bool { get }
    /// Code at offset 0 of the text that jumps to `target` (a byte offset in the text), or
    /// nil if no encoding reaches that far.
    func entryJump(to target: Int) -> [UInt8]?
    /// A stub that jumps to the address stored in its pointer word, for calls to memset/memmove
    /// that must reach mp_fun_table; nil where such calls go through the GOT. `calledDirectly`
    /// says whether some object calls the function with a call instruction (not through a GOT
    /// or literal word), which Xtensa needs a stub for only then.
    func functionTableStub(calledDirectly: Bool) -> FunctionTableStub?
    /// Text alignment MicroPython has tested for this family; others get a warning.
    func isTestedTextAlignment(_ alignment: Int) -> Bool
    /// Applies one relocation found in a .text or .rodata section.
    func applyCodeRelocation(_ site: RelocationSite, _ link: LinkContext) throws
    /// Relocation types of a .data.rel.ro section that store a full address.
    func isAbsoluteWord(_ type: UInt32) -> Bool
}

/// Code the linker adds to forward a call to a function-table entry.
public struct FunctionTableStub: Sendable {
    public let code: [UInt8]
    /// Where in `code` the loader writes the table entry's address.
    public let pointerOffset: Int
    /// Where callers enter (Xtensa's L32R reaches only backwards, so its word comes first).
    public let entryOffset: Int
}

public enum Backends {
    public static func backend(for arch: NativeArch) -> ArchBackend {
        switch arch {
        case .x86, .x64: return X86Backend(arch: arch)
        case .armv6m, .armv7m, .armv7emsp, .armv7emdp: return ThumbBackend(arch: arch)
        case .xtensa, .xtensawin: return XtensaBackend(arch: arch)
        case .rv32imc, .rv64imc: return RISCVBackend(arch: arch)
        }
    }
}

/// One relocation, with the letters of the ELF psABI formulas that do not depend on the
/// symbol: P (the place, as a byte offset in the linked image) and A (the explicit addend;
/// 0 for REL, whose addend is the value already stored at the place).
public struct RelocationSite {
    public let object: String
    public let section: String
    public let sectionOffset: UInt64
    public let type: UInt32
    public let symbolName: String
    public let symbolIsSection: Bool
    public let symbolIsLocal: Bool
    public let P: Int64
    public let A: Int64
    /// The image the place is in (text, or rodata when kept apart).
    public let inRodata: Bool
    let symbol: SymbolID
    let sectionID: Int
}
