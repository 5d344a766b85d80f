import ELFReader
import MPYFormat

/// A symbol of one input object: (object number, index in its symbol table).
public struct SymbolID: Hashable, Sendable {
    let object: Int
    let index: Int
}

/// Where a symbol's value comes from once resolved.
enum SymbolPlace: Equatable {
    /// Inside a section of the image: its id and the offset within it.
    case section(Int, offset: Int64)
    /// The loader fills these in; only a GOT word or a data word can point at them.
    case funTable, qstrTable, objTable
    case funTableEntry(Int)
    case fixedAddress(UInt64)
    case globalOffsetTable
}

/// Which image a section's bytes go to.
enum ImageRegion { case text, rodata, bss }

/// A chunk of the output: an input section, or one the linker makes (GOT, literal table,
/// function-table stubs).
final class OutputSection {
    let id: Int
    let name: String
    /// The input object, or nil for sections the linker makes.
    let object: Int?
    var data: [UInt8]
    let alignment: Int
    var relocations: [ELFRelocation]
    /// For a function-table stub: the table index its pointer word must hold.
    var stubFunTableIndex: Int?
    var stubPointerOffset = 0
    var stubEntryOffset = 0
    var region: ImageRegion = .text
    var address = 0

    init(id: Int, name: String, object: Int?, data: [UInt8], alignment: Int, relocations: [ELFRelocation] = []) {
        self.id = id
        self.name = name
        self.object = object
        self.data = data
        self.alignment = max(alignment, 1)
        self.relocations = relocations
    }

    var isText: Bool { name.hasPrefix(".text") }
    var isRodata: Bool { name.hasPrefix(".rodata") || name.hasPrefix(".data.rel.ro") }
    var isBSS: Bool { name.hasPrefix(".bss") }
    /// Initialised writable data: only loadable inside writable text.
    var isWritableData: Bool { name.hasPrefix(".data") && !name.hasPrefix(".data.rel.ro") }
    /// Set for .bss sections that code addresses PC-relatively (static variables), which
    /// must then travel inside the text.
    var placeInText = false
    var isLiteral: Bool { name.hasPrefix(".literal") }
}

/// A word of the global offset table and what it must point at.
struct GOTEntry {
    /// The key entries are shared by: a symbol name, or `name+0xN` for Xtensa literals with an offset.
    let key: String
    let symbol: SymbolID
    /// Added to the target's address (Xtensa literals hold `symbol + addend`).
    let addend: Int64
    var offset = 0
}

/// The state of one link, shared by the passes and handed to the arch backend.
public final class LinkContext {
    let request: LinkRequest
    public let backend: ArchBackend
    let funTable: FunTableFacts

    var objects: [ELFObject] = []
    var sections: [OutputSection] = []
    /// Output order of `sections` (ids); synthetic sections are inserted where upstream puts them.
    var order: [Int] = []
    /// Xtensa .literal sections: read for the GOT and literal table, not copied.
    var literalSections: [Int] = []
    /// Per object: ELF section index -> output section id.
    var sectionIDs: [[Int: Int]] = []
    var definitions: [String: SymbolID] = [:]
    var duplicates: [(String, [String])] = []
    var undefined: [SymbolID] = []
    var places: [SymbolID: SymbolPlace] = [:]
    var stubs: [String: Int] = [:]
    var got: [GOTEntry] = []
    var gotIndex: [String: Int] = [:]
    var gotSection: OutputSection!
    var literalTable: LiteralTable?
    var text: [UInt8] = []
    var rodata: [UInt8] = []
    var bssSize = 0
    var entryJump: [UInt8] = []
    var mpyRelocations: [NativeRelocation] = []
    var warnings: [String] = []
    var pulledMembers: [String] = []
    /// Values one relocation leaves for a later one at the same place (RISC-V HI20 -> LO12).
    public var pairedValues: [Int64: Int64] = [:]

    init(_ request: LinkRequest) {
        self.request = request
        self.backend = Backends.backend(for: request.arch)
        self.funTable = FunTableFacts.forABI(request.abi)
    }

    func symbol(_ id: SymbolID) -> ELFSymbol { objects[id.object].symbols[id.index] }
    func objectName(_ id: SymbolID) -> String { objects[id.object].name }

    func addSection(name: String, object: Int?, data: [UInt8], alignment: Int,
                    relocations: [ELFRelocation] = []) -> OutputSection {
        let section = OutputSection(id: sections.count, name: name, object: object, data: data,
                                    alignment: alignment, relocations: relocations)
        sections.append(section)
        return section
    }

    /// Where `id` points, following an undefined symbol to its definition.
    func place(of id: SymbolID) -> SymbolPlace? {
        if let known = places[id] { return known }
        let sym = symbol(id)
        if let section = sectionIDs[id.object][Int(sym.sectionIndex)] {
            return .section(section, offset: Int64(sym.value))
        }
        return nil
    }

    /// The address of a place inside the image, for section places.
    func address(of place: SymbolPlace) -> Int64? {
        if case .section(let id, let offset) = place { return Int64(sections[id].address) + offset }
        if case .globalOffsetTable = place { return Int64(gotSection.address) }
        return nil
    }
}
