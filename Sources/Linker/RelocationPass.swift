import ELFReader
import MPYFormat

extension LinkContext {
    /// Pass 7: patches every relocated word. Code and read-only data go through the arch
    /// backend; .data.rel.ro holds only absolute pointers, which are generic; function-table
    /// stubs get a loader relocation for their pointer word.
    func applyRelocations() throws {
        for id in order {
            let section = sections[id]
            if let index = section.stubFunTableIndex {
                mpyRelocations.append(NativeRelocation(region: .text, offset: section.address + section.stubPointerOffset,
                                                       target: .funTableEntry(index)))
                continue
            }
            guard let object = section.object else { continue }
            for relocation in section.relocations {
                let site = try makeSite(relocation, in: section, object: object)
                if section.name.hasPrefix(".data.rel.ro") {
                    guard backend.isAbsoluteWord(relocation.type) else {
                        throw LinkError.unknownRelocation(object: site.object, section: site.section, offset: site.sectionOffset,
                                                          type: site.type, symbol: site.symbolName, arch: request.arch)
                    }
                    try absoluteWord(site)
                } else {
                    try backend.applyCodeRelocation(site, self)
                }
            }
        }
    }

    private func makeSite(_ relocation: ELFRelocation, in section: OutputSection, object: Int) throws -> RelocationSite {
        let sym = objects[object].symbols[relocation.symbolIndex]
        var name = sym.name
        if sym.type == SymbolType.section {
            name = objects[object].section(at: Int(sym.sectionIndex))?.name ?? "section \(sym.sectionIndex)"
        }
        guard relocation.offset < UInt64(section.data.count) else {
            throw LinkError.malformed(object: objects[object].name,
                                      detail: "relocation at \(section.name)+0x\(String(relocation.offset, radix: 16)) lies outside the section (\(section.data.count) bytes)")
        }
        return RelocationSite(
            object: objects[object].name, section: section.name, sectionOffset: relocation.offset,
            type: relocation.type, symbolName: name, symbolIsSection: sym.type == SymbolType.section,
            symbolIsLocal: sym.binding == SymbolBinding.local,
            P: Int64(section.address) + Int64(relocation.offset), A: relocation.addend,
            inRodata: section.region == .rodata, symbol: SymbolID(object: object, index: relocation.symbolIndex),
            sectionID: section.id)
    }

    // MARK: - The letters of the relocation formulas, for backends

    /// S for a relocation whose value is fixed at link time (PC-relative): the symbol must
    /// be in the text image (or the rodata that travels with it).
    public func fixedAddress(_ site: RelocationSite) throws -> Int64 {
        guard let place = place(of: site.symbol) else {
            throw LinkError.undefinedSymbols([(site.symbolName, site.object)])
        }
        switch place {
        case .section(let id, let offset):
            let target = sections[id]
            if target.region == .bss {
                throw LinkError.unsupportedRelocation(
                    object: site.object, section: site.section, offset: site.sectionOffset, symbol: site.symbolName,
                    reason: "code refers to a zero-initialised variable directly, but MicroPython allocates .bss apart from the code; declare it without 'static' (a global is reached through the GOT) or keep the state in a heap object")
            }
            if target.region == .rodata && !site.inRodata {
                throw LinkError.unsupportedRelocation(
                    object: site.object, section: site.section, offset: site.sectionOffset, symbol: site.symbolName,
                    reason: "\(request.arch.rawValue) loads rodata apart from code, so code must reach constants through the GOT; do not declare the constant 'static'")
            }
            return Int64(target.address) + offset
        case .globalOffsetTable:
            return Int64(gotSection.address)
        default:
            throw LinkError.unsupportedRelocation(
                object: site.object, section: site.section, offset: site.sectionOffset, symbol: site.symbolName,
                reason: "'\(site.symbolName)' is provided by MicroPython at load time and must be reached through the GOT (compile with -fpic)")
        }
    }

    /// GOT: the address of the table.
    public var gotAddress: Int64 { Int64(gotSection.address) }

    /// G: the offset of the symbol's entry within the GOT.
    public func gotOffset(_ site: RelocationSite) throws -> Int64 {
        guard let index = gotIndex[site.symbolName] else {
            throw LinkError.unsupportedRelocation(object: site.object, section: site.section, offset: site.sectionOffset,
                                                  symbol: site.symbolName, reason: "GOT relocation against a symbol that has no GOT entry (a local symbol?)")
        }
        return Int64(got[index].offset)
    }

    /// A word that must hold the absolute address S + A: written relative to the image and
    /// completed by the loader through a relocation entry.
    public func absoluteWord(_ site: RelocationSite) throws {
        let word = backend.arch.wordSize
        guard site.P % Int64(word) == 0 else {
            throw LinkError.unsupportedRelocation(object: site.object, section: site.section, offset: site.sectionOffset,
                                                  symbol: site.symbolName, reason: "an absolute address at an unaligned place cannot be relocated by the loader")
        }
        guard let place = place(of: site.symbol) else {
            throw LinkError.undefinedSymbols([(site.symbolName, site.object)])
        }
        let target: NativeRelocation.Target
        var value: Int64 = site.A
        switch place {
        case .section(let id, let offset):
            let section = sections[id]
            value += Int64(section.address) + offset
            switch section.region {
            case .text: target = .text
            case .rodata: target = .rodata
            case .bss: target = .bss
            }
        case .funTableEntry(let index): target = .funTableEntry(index)
        case .funTable: target = .funTable
        case .qstrTable: target = .qstrTable
        case .objTable: target = .objTable
        case .fixedAddress(let address):
            try addToWord(site, Int64(address) + site.A, size: word)
            return
        case .globalOffsetTable:
            value += gotAddress
            target = .text
        }
        try addToWord(site, value, size: word)
        mpyRelocations.append(NativeRelocation(region: site.inRodata ? .rodata : .text, offset: Int(site.P), target: target))
    }

    // MARK: - Reading and writing the place

    public func read(_ site: RelocationSite, at delta: Int64 = 0, size: Int) throws -> UInt64 {
        let offset = Int(site.P + delta)
        let image = site.inRodata ? rodata : text
        guard offset >= 0, offset + size <= image.count else { throw placeOutside(site, size: size) }
        return image.readLE(offset, size: size)
    }

    public func write(_ site: RelocationSite, at delta: Int64 = 0, size: Int, _ value: UInt64) throws {
        let offset = Int(site.P + delta)
        guard offset >= 0, offset + size <= (site.inRodata ? rodata.count : text.count) else { throw placeOutside(site, size: size) }
        if site.inRodata { rodata.writeLE(offset, size: size, value) } else { text.writeLE(offset, size: size, value) }
    }

    /// Adds `value` to the word at the place (REL relocations keep their addend there).
    public func addToWord(_ site: RelocationSite, _ value: Int64, size: Int = 4) throws {
        let existing = try read(site, size: size)
        try write(site, size: size, existing &+ UInt64(bitPattern: value))
    }

    private func placeOutside(_ site: RelocationSite, size: Int) -> LinkError {
        .malformed(object: site.object, detail: "relocation at \(site.section)+0x\(String(site.sectionOffset, radix: 16)) writes \(size) bytes past the end of the section")
    }

    public func error(_ site: RelocationSite, _ reason: String) -> LinkError {
        .unsupportedRelocation(object: site.object, section: site.section, offset: site.sectionOffset, symbol: site.symbolName, reason: reason)
    }

    public func unknown(_ site: RelocationSite) -> LinkError {
        .unknownRelocation(object: site.object, section: site.section, offset: site.sectionOffset, type: site.type,
                           symbol: site.symbolName, arch: request.arch)
    }

    public func outOfRange(_ site: RelocationSite, _ value: Int64, _ range: String) -> LinkError {
        .outOfRange(object: site.object, section: site.section, offset: site.sectionOffset, symbol: site.symbolName, value: value, range: range)
    }
}
