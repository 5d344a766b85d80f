/// One word of linked native code that the loader must patch, as persistentcode.c's
/// mp_native_relocate understands it: a place (region + byte offset) and what to add there.
public struct NativeRelocation: Equatable, Sendable {
    /// Where the word lives: the machine code, or the separate rodata block (xtensawin).
    public enum Region: UInt, Sendable { case text = 0, rodata = 1 }

    /// What the loader adds to the word at the place.
    public enum Target: Equatable, Sendable {
        /// Address of the loaded text.
        case text
        /// Address of the separately loaded rodata (const table entry 1).
        case rodata
        /// Address of the bss block (const table entry 2).
        case bss
        case qstrTable
        case objTable
        case funTable
        /// The value of mp_fun_table[index].
        case funTableEntry(Int)

        /// The "kind" number of the relocation stream.
        public var kind: Int {
            switch self {
            case .text: return 0
            case .rodata: return 1
            case .bss: return 2
            case .qstrTable: return 6
            case .objTable: return 7
            case .funTable: return 8
            case .funTableEntry(let index): return 9 + index
            }
        }

        public init?(kind: Int) {
            switch kind {
            case 0: self = .text
            case 1: self = .rodata
            case 2: self = .bss
            case 6: self = .qstrTable
            case 7: self = .objTable
            case 8: self = .funTable
            case 9...: self = .funTableEntry(kind - 9)
            default: return nil
            }
        }
    }

    public var region: Region
    /// Byte offset within the region; always word aligned.
    public var offset: Int
    public var target: Target

    public init(region: Region, offset: Int, target: Target) {
        self.region = region
        self.offset = offset
        self.target = target
    }
}
