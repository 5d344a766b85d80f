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

    /// sh_addralign as the layout uses it. The gABI says 0 or a power of two; a module's
    /// sections never need more than a page, and a hostile value (found by Fuzz/elf: 2^36)
    /// would have the layout pad the text with gigabytes of zeros.
    private func alignment(of section: ELFSection, in object: ELFObject) throws -> Int {
        let value = section.alignment
        guard value <= 1 << 16, value & (value &- 1) == 0 else {
            throw LinkError.malformed(object: object.name, detail: "section '\(section.name)' has alignment \(value); expected a power of two up to 65536")
        }
        return Int(value)
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
                                        alignment: try alignment(of: section, in: object))
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
                                        alignment: try alignment(of: section, in: object))
                ids[section.index] = output.id
                order.append(output.id)
            }
        }
        for table in object.sections where table.isRelocationTable {
            guard let target = ids[Int(table.info)] else { continue }
            for relocation in table.relocations where relocation.symbolIndex >= object.symbols.count {
                throw LinkError.malformed(object: object.name, detail: "relocation at \(table.name)+0x\(String(relocation.offset, radix: 16)) names symbol \(relocation.symbolIndex), but the symbol table has \(object.symbols.count)")
            }
            // The formulas add S + A - P in Int64; addresses in a module stay far below 2^40, so an
            // addend within +-2^48 can never overflow them, and a larger one points nowhere.
            for relocation in table.relocations where relocation.addend.magnitude > 1 << 48 {
                throw LinkError.malformed(object: object.name, detail: "relocation at \(table.name)+0x\(String(relocation.offset, radix: 16)) has addend \(relocation.addend), which points outside any module")
            }
            sections[target].relocations = table.relocations
        }
        sectionIDs.append(ids)
        for symbol in object.symbols {
            let id = SymbolID(object: number, index: symbol.index)
            if let section = ids[Int(symbol.sectionIndex)] {
                // Offsets into a section are used as Int64 addresses from here on; one past its end
                // (found by Fuzz/elf: 2^63 and more) is malformed, not an address to compute with.
                // (+1: a Thumb function's value has bit 0 set.)
                guard symbol.value <= UInt64(sections[section].data.count) + 1 else {
                    throw LinkError.malformed(object: object.name, detail: "symbol '\(symbol.name)' at offset \(symbol.value) lies outside section '\(sections[section].name)' (\(sections[section].data.count) bytes)")
                }
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
