// Numeric values from the ELF specification (System V gABI) that mpyforge needs.

public enum SectionType {
    public static let progbits: UInt32 = 1
    public static let symtab: UInt32 = 2
    public static let rela: UInt32 = 4
    public static let nobits: UInt32 = 8
    public static let rel: UInt32 = 9
}

public enum SymbolBinding {
    public static let local: UInt8 = 0
    public static let global: UInt8 = 1
    public static let weak: UInt8 = 2
}

public enum SymbolType {
    public static let notype: UInt8 = 0
    public static let object: UInt8 = 1
    public static let function: UInt8 = 2
    public static let section: UInt8 = 3
    public static let file: UInt8 = 4
}

public enum SpecialSection {
    public static let undefined: UInt16 = 0
    public static let absolute: UInt16 = 0xFFF1
    public static let common: UInt16 = 0xFFF2
}

public enum Machine {
    public static let i386: UInt16 = 3
    public static let arm: UInt16 = 40
    public static let x86_64: UInt16 = 62
    public static let xtensa: UInt16 = 94
    public static let riscv: UInt16 = 243

    public static func name(_ machine: UInt16) -> String {
        switch machine {
        case i386: return "EM_386 (x86)"
        case arm: return "EM_ARM"
        case x86_64: return "EM_X86_64 (x64)"
        case xtensa: return "EM_XTENSA"
        case riscv: return "EM_RISCV"
        default: return "machine \(machine)"
        }
    }
}
