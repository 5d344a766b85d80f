import CLibElf

/// Opens `ar` archives: from a file (mapped, never copied whole) or from bytes in memory.
public enum ArchiveReader {
    public static let magic: [UInt8] = Array("!<arch>\n".utf8)

    public static func isArchive(_ bytes: [UInt8]) -> Bool {
        bytes.count >= magic.count && Array(bytes[0..<magic.count]) == magic
    }

    /// Whether the file at `path` starts like an archive (a GNU ld script, say, does not).
    public static func isArchive(path: String) throws -> Bool {
        let file = try MappedFile(path: path)
        return file.size >= magic.count && magic.indices.allSatisfy { file.bytes[$0] == magic[$0] }
    }

    /// Reads the archive at `path` through a mapping of it: only its symbol index is read now.
    public static func read(path: String) throws -> ELFArchive {
        try read(image: LibElfImage(mapping: MappedFile(path: path), file: path), path: path)
    }

    public static func read(bytes: [UInt8], path: String) throws -> ELFArchive {
        try read(image: LibElfImage(bytes: bytes, file: path), path: path)
    }

    static func read(image: LibElfImage, path: String) throws -> ELFArchive {
        guard image.kind == ELF_K_AR else {
            throw ELFError.notELF(file: path, detail: "not an ar archive")
        }
        // The archive's own symbol index (what `ar s` writes) says which member defines what
        // without parsing any member; without one, every member is read.
        var count = 0
        guard let symbols = elf_getarsym(image.handle, &count), count > 1 else {
            return try index(members: allMembers(image, path: path), path: path)
        }
        var entries: [(name: String, offset: Int)] = []
        entries.reserveCapacity(count - 1)
        for i in 0..<(count - 1) {
            let entry = symbols[i]
            guard let pointer = entry.as_name, let name = image.string(at: pointer) else { continue }
            entries.append((name, Int(entry.as_off)))
        }
        let offsets = Set(entries.map(\.offset)).sorted()
        let memberAtOffset = Dictionary(uniqueKeysWithValues: offsets.enumerated().map { ($1, $0) })
        var definitions: [String: Int] = [:]
        definitions.reserveCapacity(entries.count)
        for entry in entries { definitions[entry.name] = memberAtOffset[entry.offset] }
        return ELFArchive(path: path, definitions: definitions,
                          storage: .indexed(IndexedArchive(image: image, path: path, headerOffsets: offsets)))
    }

    /// Every member, walking the archive from the start (for archives without an index).
    static func allMembers(_ image: LibElfImage, path: String) throws -> [ELFArchive.Member] {
        var members: [ELFArchive.Member] = []
        var command = ELF_C_READ_MMAP
        while let memberHandle = elf_begin(-1, command, image.handle) {
            defer { command = elf_next(memberHandle); elf_end(memberHandle) }
            guard let header = elf_getarhdr(memberHandle) else { continue }
            let name = String(cString: header.pointee.ar_name)
            // libelf lists the archive's own index ("/") and long-name table ("//") as members.
            if name == "/" || name == "//" || name == "/SYM64/" { continue }
            var size = 0
            guard let raw = elf_rawfile(memberHandle, &size), image.contains(raw, count: size) else {
                throw ELFError.malformed(file: "\(path)(\(ELFError.printable(name)))", detail: LibElfImage.lastError)
            }
            members.append(.init(name: name, bytes: Array(UnsafeRawBufferPointer(start: raw, count: size))))
        }
        return members
    }

    /// An archive made of objects in memory (the linker treats it like a static library).
    public static func index(members: [ELFArchive.Member], path: String) throws -> ELFArchive {
        var definitions: [String: Int] = [:]
        for (index, member) in members.enumerated() {
            // A member that is not an ELF object (e.g. a text file) defines nothing.
            guard let object = try? ObjectReader.read(bytes: Array(member.bytes), name: member.name) else { continue }
            for symbol in object.symbols where symbol.isGlobalOrWeak && !symbol.isUndefined {
                definitions[symbol.name] = index
            }
        }
        return ELFArchive(path: path, definitions: definitions, storage: .loaded(members))
    }
}
