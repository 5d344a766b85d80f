/// A relocatable ELF object as the linker sees it: named sections with their bytes,
/// the symbol table, and the relocations that patch each section.
public struct ELFObject: Sendable {
    /// Where the object came from, for messages: a path, or `archive.a(member.o)`.
    public var name: String
    public var machine: UInt16
    /// 4 for ELFCLASS32, 8 for ELFCLASS64.
    public var wordSize: Int
    public var sections: [ELFSection]
    public var symbols: [ELFSymbol]

    public init(name: String, machine: UInt16, wordSize: Int, sections: [ELFSection], symbols: [ELFSymbol]) {
        self.name = name
        self.machine = machine
        self.wordSize = wordSize
        self.sections = sections
        self.symbols = symbols
    }

    /// The section with ELF index `index`, if there is one.
    public func section(at index: Int) -> ELFSection? {
        sections.indices.contains(index) ? sections[index] : nil
    }
}

public struct ELFSection: Sendable {
    public var index: Int
    public var name: String
    public var type: UInt32
    public var flags: UInt64
    public var address: UInt64
    public var alignment: UInt64
    /// The size in the file's header; for SHT_NOBITS this is the size in memory.
    public var size: UInt64
    /// The section's bytes. SHT_NOBITS sections get `size` zero bytes, which is what they hold in memory.
    public var data: [UInt8]
    /// For SHT_REL/SHT_RELA: the index of the section the relocations apply to.
    public var info: UInt32
    public var link: UInt32
    /// For SHT_REL/SHT_RELA: the relocations, in file order.
    public var relocations: [ELFRelocation]

    public var isRelocationTable: Bool { type == SectionType.rel || type == SectionType.rela }
}

public struct ELFSymbol: Sendable {
    public var index: Int
    public var name: String
    public var value: UInt64
    public var size: UInt64
    public var binding: UInt8
    public var type: UInt8
    /// st_shndx: a section index, or one of the SHN_* special values.
    public var sectionIndex: UInt16

    public var isUndefined: Bool { sectionIndex == SpecialSection.undefined }
    public var isGlobalOrWeak: Bool { binding == SymbolBinding.global || binding == SymbolBinding.weak }
}

public struct ELFRelocation: Sendable {
    public var offset: UInt64
    public var type: UInt32
    public var symbolIndex: Int
    /// The explicit addend of a RELA entry; 0 for REL entries, whose addend is in the section bytes.
    public var addend: Int64
}
