import CLibElf

/// Reads one relocatable ELF object (ET_REL) through libelf.
public enum ObjectReader {
    public static func read(bytes: [UInt8], name: String) throws -> ELFObject {
        let image = try LibElfImage(bytes: bytes, file: name)
        guard image.kind == ELF_K_ELF else {
            throw ELFError.notELF(file: name, detail: "no ELF header")
        }
        let elf = image.handle
        var header = GElf_Ehdr()
        guard gelf_getehdr(elf, &header) != nil else {
            throw ELFError.malformed(file: name, detail: "ELF header: \(LibElfImage.lastError)")
        }
        guard header.e_type == UInt16(ET_REL) else {
            throw ELFError.notRelocatable(file: name, type: header.e_type)
        }
        let wordSize = gelf_getclass(elf) == ELFCLASS64 ? 8 : 4
        // libelf reads a truncated file without complaint when the cut falls outside the
        // part it has parsed so far, so the extents are checked against the real size here.
        let fileSize = UInt64(bytes.count)
        // Added with overflow reported: e_shoff is any 64-bit value a hostile file chooses.
        let (tableEnd, overflow) = header.e_shoff.addingReportingOverflow(UInt64(header.e_shnum) * UInt64(header.e_shentsize))
        guard header.e_shnum > 0, header.e_shoff > 0, !overflow, tableEnd <= fileSize else {
            throw ELFError.malformed(file: name, detail: "section header table (offset \(header.e_shoff), \(header.e_shnum) entries) lies outside the file (\(fileSize) bytes); is it truncated?")
        }
        var namesIndex = 0
        guard elf_getshdrstrndx(elf, &namesIndex) == 0 else {
            throw ELFError.malformed(file: name, detail: "section name table: \(LibElfImage.lastError)")
        }

        var sections = [ELFSection(index: 0, name: "", type: 0, flags: 0, address: 0, alignment: 0,
                                   size: 0, data: [], info: 0, link: 0, relocations: [])]
        var symbols: [ELFSymbol] = []
        var scn: OpaquePointer? = nil
        while let current = elf_nextscn(elf, scn) {
            scn = current
            var shdr = GElf_Shdr()
            guard gelf_getshdr(current, &shdr) != nil else {
                throw ELFError.malformed(file: name, detail: "section header \(elf_ndxscn(current)): \(LibElfImage.lastError)")
            }
            let index = elf_ndxscn(current)
            let sectionName = string(elf, namesIndex, Int(shdr.sh_name)) ?? ""
            var section = ELFSection(
                index: index, name: sectionName, type: shdr.sh_type, flags: shdr.sh_flags,
                address: shdr.sh_addr, alignment: shdr.sh_addralign, size: shdr.sh_size, data: [],
                info: shdr.sh_info, link: shdr.sh_link, relocations: [])
            let where_ = "\(name): section \(index) '\(sectionName)'"
            if shdr.sh_type != SectionType.nobits && shdr.sh_offset &+ shdr.sh_size > fileSize {
                throw ELFError.malformed(file: name, detail: "section \(index) '\(sectionName)' (offset \(shdr.sh_offset), \(shdr.sh_size) bytes) runs past the end of the file; is it truncated?")
            }
            switch shdr.sh_type {
            case SectionType.nobits:
                // No MicroPython heap holds 16 MiB of bss; the cap keeps a hostile size from
                // making the host allocate gigabytes of zeros.
                guard shdr.sh_size <= 1 << 24 else {
                    throw ELFError.malformed(file: name, detail: "section '\(sectionName)' claims \(shdr.sh_size) bytes")
                }
                section.data = [UInt8](repeating: 0, count: Int(shdr.sh_size))
            case SectionType.symtab:
                symbols = try readSymbols(elf, current, link: Int(shdr.sh_link), file: where_)
            case SectionType.rel, SectionType.rela:
                section.relocations = try readRelocations(current, withAddend: shdr.sh_type == SectionType.rela, file: where_)
            default:
                section.data = try rawBytes(current, file: where_)
            }
            guard index == sections.count else {
                throw ELFError.malformed(file: name, detail: "sections out of order at \(index)")
            }
            sections.append(section)
        }
        return ELFObject(name: name, machine: header.e_machine, wordSize: wordSize, sections: sections, symbols: symbols)
    }

    /// A section or symbol name. Control characters are escaped here, once, because these
    /// names end up in error messages (ours and the linker's), where a hostile newline would
    /// break the one-line error; no real name contains one.
    private static func string(_ elf: OpaquePointer, _ table: Int, _ offset: Int) -> String? {
        guard let pointer = elf_strptr(elf, table, offset) else { return nil }
        return ELFError.printable(String(cString: pointer))
    }

    private static func rawBytes(_ scn: OpaquePointer, file: String) throws -> [UInt8] {
        guard let data = elf_getdata(scn, nil) else {
            let message = LibElfImage.lastError
            // A section with no data at all is not an error; libelf returns NULL with no message then.
            if message.isEmpty || message == "no error" { return [] }
            throw ELFError.malformed(file: file, detail: message)
        }
        guard let buffer = data.pointee.d_buf, data.pointee.d_size > 0 else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: buffer, count: data.pointee.d_size))
    }

    private static func readSymbols(_ elf: OpaquePointer, _ scn: OpaquePointer, link: Int, file: String) throws -> [ELFSymbol] {
        guard let data = elf_getdata(scn, nil) else {
            throw ELFError.malformed(file: file, detail: "symbol table: \(LibElfImage.lastError)")
        }
        let entrySize = gelf_fsize(elf, ELF_T_SYM, 1, UInt32(EV_CURRENT))
        guard entrySize > 0 else { throw ELFError.malformed(file: file, detail: "symbol size") }
        let count = data.pointee.d_size / entrySize
        var symbols: [ELFSymbol] = []
        symbols.reserveCapacity(count)
        for i in 0..<count {
            var sym = GElf_Sym()
            guard gelf_getsym(data, Int32(i), &sym) != nil else {
                throw ELFError.malformed(file: file, detail: "symbol \(i): \(LibElfImage.lastError)")
            }
            symbols.append(ELFSymbol(
                index: i, name: string(elf, link, Int(sym.st_name)) ?? "",
                value: sym.st_value, size: sym.st_size,
                binding: sym.st_info >> 4, type: sym.st_info & 0xF, sectionIndex: sym.st_shndx))
        }
        return symbols
    }

    private static func readRelocations(_ scn: OpaquePointer, withAddend: Bool, file: String) throws -> [ELFRelocation] {
        guard let data = elf_getdata(scn, nil) else { return [] }
        var result: [ELFRelocation] = []
        var i: Int32 = 0
        while true {
            if withAddend {
                var rela = GElf_Rela()
                guard gelf_getrela(data, i, &rela) != nil else { break }
                result.append(ELFRelocation(offset: rela.r_offset, type: UInt32(truncatingIfNeeded: rela.r_info),
                                            symbolIndex: Int(rela.r_info >> 32), addend: rela.r_addend))
            } else {
                var rel = GElf_Rel()
                guard gelf_getrel(data, i, &rel) != nil else { break }
                result.append(ELFRelocation(offset: rel.r_offset, type: UInt32(truncatingIfNeeded: rel.r_info),
                                            symbolIndex: Int(rel.r_info >> 32), addend: 0))
            }
            i += 1
        }
        return result
    }
}
