import ELFReader
import MPYFormat

/// Xtensa's L32R instruction loads a word from a literal pool below it. The objects' .literal
/// sections are not copied: each pointer word becomes a GOT entry (the loader relocates it)
/// and each plain constant goes, deduplicated, into one literal table after the GOT.
final class LiteralTable {
    enum Slot { case got(String), constant(Int) }
    /// Distinct constants, in first-seen order; slot i is at byte 4*i of the table.
    var values: [UInt32] = []
    var indexOfValue: [UInt32: Int] = [:]
    /// (literal section id, offset in it) -> where that word went.
    var slots: [Int: [Int: Slot]] = [:]
    var sectionID = 0

    func write(into text: inout [UInt8], at address: Int) {
        for (i, value) in values.enumerated() { text.writeU32(address + 4 * i, value) }
    }
}

extension LinkContext {
    func collectLiteralPoolEntries() {
        let table = LiteralTable()
        literalTable = table
        for id in literalSections {
            let section = sections[id]
            guard let object = section.object else { continue }
            var slots: [Int: LiteralTable.Slot] = [:]
            for relocation in section.relocations {
                let offset = Int(relocation.offset)
                guard offset % 4 == 0, offset + 4 <= section.data.count else { continue }
                let sym = objects[object].symbols[relocation.symbolIndex]
                let stored = Int64(section.data.readU32(offset))
                let addend = stored + relocation.addend
                let key: String
                if sym.type == SymbolType.section {
                    let target = objects[object].section(at: Int(sym.sectionIndex))?.name ?? "?"
                    key = "\(objects[object].name):\(target)+0x\(String(addend, radix: 16))"
                } else {
                    key = addend == 0 ? sym.name : "\(sym.name)+0x\(String(addend, radix: 16))"
                }
                addGOTEntry(key: key, symbol: SymbolID(object: object, index: sym.index), addend: addend)
                slots[offset] = .got(key)
            }
            for offset in stride(from: 0, to: section.data.count - section.data.count % 4, by: 4) where slots[offset] == nil {
                let value = section.data.readU32(offset)
                if table.indexOfValue[value] == nil {
                    table.indexOfValue[value] = table.values.count
                    table.values.append(value)
                }
                slots[offset] = .constant(table.indexOfValue[value]!)
            }
            table.slots[id] = slots
        }
    }

    /// The address of the word a literal-pool reference (section + offset) now lives at.
    public func literalAddress(_ site: RelocationSite) throws -> Int64 {
        let sym = symbol(site.symbol)
        guard let table = literalTable, let sectionID = sectionIDs[site.symbol.object][Int(sym.sectionIndex)],
              let slot = table.slots[sectionID]?[Int(Int64(sym.value) + site.A)] else {
            throw LinkError.unsupportedRelocation(object: site.object, section: site.section, offset: site.sectionOffset,
                                                  symbol: site.symbolName, reason: "no literal-pool word at that offset")
        }
        switch slot {
        case .got(let key): return Int64(gotSection.address + got[gotIndex[key]!].offset)
        case .constant(let index): return Int64(sections[table.sectionID].address + 4 * index)
        }
    }

    /// Whether `site` refers to a literal-pool section (rather than code).
    public func targetsLiteralPool(_ site: RelocationSite) -> Bool {
        let sym = symbol(site.symbol)
        guard let id = sectionIDs[site.symbol.object][Int(sym.sectionIndex)] else { return false }
        return sections[id].isLiteral
    }
}
