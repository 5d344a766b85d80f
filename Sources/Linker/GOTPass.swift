import ELFReader
import MPYFormat

extension LinkContext {
    /// Pass 3: one GOT word per global symbol reached through a GOT-type relocation (on Xtensa:
    /// per pointer in the literal pools), shared by every use, in order of first use.
    func collectGOTEntries() {
        if backend.usesLiteralPools {
            collectLiteralPoolEntries()
        } else {
            for id in order {
                let section = sections[id]
                guard let object = section.object else { continue }
                for relocation in section.relocations where backend.createsGOTEntry(relocation.type) {
                    let sym = objects[object].symbols[relocation.symbolIndex]
                    guard sym.isGlobalOrWeak, !sym.name.isEmpty else { continue }
                    addGOTEntry(key: sym.name, symbol: SymbolID(object: object, index: sym.index), addend: 0)
                }
            }
        }
        let size = got.count * backend.arch.wordSize
        gotSection = addSection(name: "GOT", object: nil, data: [UInt8](repeating: 0, count: size),
                                alignment: backend.arch.wordSize)
        if backend.usesLiteralPools {
            // The GOT and the literal table lead the text, so L32R (which only loads from lower
            // addresses) reaches them from all code.
            let literals = literalTable!
            let table = addSection(name: "LIT", object: nil, data: [UInt8](repeating: 0, count: literals.values.count * 4), alignment: 4)
            literals.sectionID = table.id
            order.insert(contentsOf: [gotSection.id, table.id], at: 0)
        } else {
            order.append(gotSection.id)
        }
    }

    func addGOTEntry(key: String, symbol: SymbolID, addend: Int64) {
        guard gotIndex[key] == nil else { return }
        gotIndex[key] = got.count
        got.append(GOTEntry(key: key, symbol: symbol, addend: addend))
    }

    /// What a GOT word must finally hold: a target the loader adds, and the value the linker writes.
    private func gotTarget(_ entry: GOTEntry) throws -> (rank: Int, relocation: NativeRelocation.Target?, value: Int64) {
        let name = symbol(entry.symbol).name
        if let address = request.fixedAddresses[name] { return (1, nil, Int64(address) + entry.addend) }
        if let index = memoryFunctionIndex(name) { return (1, .funTableEntry(index), 0) }
        guard let place = place(of: entry.symbol) else {
            throw LinkError.undefinedSymbols([(name, objectName(entry.symbol))])
        }
        switch place {
        case .funTable: return (1, .funTable, entry.addend)
        case .qstrTable: return (1, .qstrTable, entry.addend)
        case .objTable: return (1, .objTable, entry.addend)
        case .funTableEntry(let index): return (1, .funTableEntry(index), entry.addend)
        case .fixedAddress(let address): return (1, nil, Int64(address) + entry.addend)
        case .globalOffsetTable:
            return (2, .text, Int64(gotSection.address) + entry.addend)
        case .section(let id, let offset):
            let section = sections[id]
            let value = Int64(section.address) + offset + entry.addend
            // Ranked by section kind (upstream's order, for identical files); relocated by where
            // the section was placed (rodata or bss may travel inside the text).
            let rank = section.isText ? 2 : section.isRodata ? 3 : section.isBSS ? 4 : 0
            guard rank != 0 || section.stubFunTableIndex != nil || section.isWritableData else {
                throw LinkError.unsupportedRelocation(object: objectName(entry.symbol), section: section.name, offset: UInt64(offset),
                                                      symbol: name, reason: "the GOT cannot point into '\(section.name)'")
            }
            switch section.region {
            case .text: return (rank, .text, value)
            case .rodata: return (rank, .rodata, value)
            case .bss: return (rank, .bss, value)
            }
        }
    }

    /// Pass 6: orders the GOT (external, text, rodata, bss, so the loader's relocations come in
    /// runs), writes each word's link-time value and records the relocation the loader applies.
    func fillGOTAndLiterals() throws {
        var targets: [(rank: Int, relocation: NativeRelocation.Target?, value: Int64)] = []
        for entry in got { targets.append(try gotTarget(entry)) }
        let sorted = got.indices.sorted { (targets[$0].rank, $0) < (targets[$1].rank, $1) }
        let word = backend.arch.wordSize
        for (slot, index) in sorted.enumerated() {
            got[index].offset = slot * word
            text.writeLE(gotSection.address + slot * word, size: word, UInt64(bitPattern: targets[index].value))
        }
        for index in sorted {
            guard let target = targets[index].relocation else { continue }
            mpyRelocations.append(NativeRelocation(region: .text, offset: gotSection.address + got[index].offset, target: target))
        }
        literalTable?.write(into: &text, at: sections[literalTable!.sectionID].address)
    }
}
