import ELFReader
import MPYFormat

extension LinkContext {
    /// Section names the loader can place: code, constants, zero-initialised data, and
    /// Xtensa literal pools.
    static let loadablePrefixes = [".literal", ".text", ".rodata", ".data.rel.ro", ".bss"]

    /// Pass 1: takes the loadable sections and the symbols of each object.
    func loadObjects(_ inputs: [ELFObject]) throws {
        for object in inputs {
            try loadObject(object)
        }
    }

    func loadObject(_ object: ELFObject) throws {
        guard object.machine == backend.machine else {
            throw LinkError.wrongMachine(object: object.name, found: object.machine, arch: request.arch)
        }
        let number = objects.count
        objects.append(object)
        var ids: [Int: Int] = [:]
        for section in object.sections where section.type == SectionType.progbits || section.type == SectionType.nobits {
            guard section.size > 0 else { continue }
            if LinkContext.loadablePrefixes.contains(where: { section.name.hasPrefix($0) }) {
                guard section.address == 0 else {
                    throw LinkError.malformed(object: object.name, detail: "section '\(section.name)' has an address; pass relocatable objects (-c)")
                }
                let output = addSection(name: section.name, object: number, data: section.data,
                                        alignment: Int(clamping: section.alignment))
                ids[section.index] = output.id
                if output.isLiteral { literalSections.append(output.id) } else { order.append(output.id) }
            } else if section.name.hasPrefix(".data") {
                guard backend.textIsWritable else {
                    throw LinkError.unsupportedSection(
                        object: object.name, section: section.name,
                        fix: "\(request.arch.rawValue) runs native code from memory it cannot write as data, so initialised writable variables cannot be loaded; make the variable 'const', or leave it zero-initialised (it then goes to .bss) and set its value in mpy_init")
                }
                // Initialised writable data travels inside the (writable) text.
                let output = addSection(name: section.name, object: number, data: section.data,
                                        alignment: Int(clamping: section.alignment))
                ids[section.index] = output.id
                order.append(output.id)
            }
        }
        for table in object.sections where table.isRelocationTable {
            guard let target = ids[Int(table.info)] else { continue }
            for relocation in table.relocations where relocation.symbolIndex >= object.symbols.count {
                throw LinkError.malformed(object: object.name, detail: "relocation at \(table.name)+0x\(String(relocation.offset, radix: 16)) names symbol \(relocation.symbolIndex), but the symbol table has \(object.symbols.count)")
            }
            sections[target].relocations = table.relocations
        }
        sectionIDs.append(ids)
        for symbol in object.symbols {
            let id = SymbolID(object: number, index: symbol.index)
            if ids[Int(symbol.sectionIndex)] != nil {
                guard symbol.isGlobalOrWeak else { continue }
                if let earlier = definitions[symbol.name], !symbol.name.hasPrefix("__x86.get_pc_thunk.") {
                    duplicates.append((symbol.name, [objects[earlier.object].name, object.name]))
                }
                definitions[symbol.name] = id
            } else if symbol.isUndefined && symbol.binding == SymbolBinding.global {
                undefined.append(id)
            }
        }
    }

    func checkDuplicateDefinitions() throws {
        if !duplicates.isEmpty { throw LinkError.duplicateSymbols(duplicates) }
    }
}
