import MPYFormat

/// Why machine code could not be disassembled.
public enum DisassemblyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The libopcodes we link has no disassembler for this architecture.
    case unsupportedArch(NativeArch)
    /// The external disassembler (Xtensa's objdump) could not be run or failed.
    case toolFailed(String)
    /// libopcodes could not be loaded (it is only needed for --disasm).
    case libraryMissing(library: String, reason: String)

    public var description: String {
        switch self {
        case .unsupportedArch(let arch): return "no disassembler for \(arch.rawValue) (libopcodes lacks it; for xtensa install binutils-xtensa-lx106)"
        case .toolFailed(let tool): return "\(tool) failed"
        case .libraryMissing(let library, let reason):
            return "cannot load \(library), which disassembly needs (\(reason)); install binutils-multiarch 2.40 "
                + "(Debian 12: apt-get install binutils-multiarch), or inspect without --disasm"
        }
    }
}
