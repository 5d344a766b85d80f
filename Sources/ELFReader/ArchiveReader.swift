import CLibElf

/// A static library (`ar` archive) of relocatable objects, read through libelf.
/// Members are parsed lazily: linking a module needs a handful of the hundreds of objects
/// in libgcc.a and libm.a, so only the symbol index is read up front.
public struct ELFArchive: Sendable {
    public struct Member: Sendable {
        public var name: String
        /// A view into the archive's bytes: nothing is copied until the member is linked in.
        public var bytes: ArraySlice<UInt8>

        public init(name: String, bytes: ArraySlice<UInt8>) {
            self.name = name
            self.bytes = bytes
        }

        public init(name: String, bytes: [UInt8]) {
            self.init(name: name, bytes: bytes[...])
        }
    }

    public var path: String
    /// Members in archive order.
    public var members: [Member]
    /// Defined global symbol -> index into `members`. Where two members define one symbol,
    /// the later member wins, as in upstream mpy_ld.py's archive index.
    public var definitions: [String: Int]

    public func object(at index: Int) throws -> ELFObject {
        try ObjectReader.read(bytes: Array(members[index].bytes), name: "\(path)(\(ELFError.printable(members[index].name)))")
    }
}

public enum ArchiveReader {
    public static let magic: [UInt8] = Array("!<arch>\n".utf8)

    public static func isArchive(_ bytes: [UInt8]) -> Bool {
        bytes.count >= magic.count && Array(bytes[0..<magic.count]) == magic
    }

    public static func read(bytes: [UInt8], path: String) throws -> ELFArchive {
        let image = try LibElfImage(bytes: bytes, file: path)
        guard image.kind == ELF_K_AR else {
            throw ELFError.notELF(file: path, detail: "not an ar archive")
        }
        var members: [ELFArchive.Member] = []
        var memberAtOffset: [Int: Int] = [:]
        var command = ELF_C_READ_MMAP
        while let memberHandle = elf_begin(-1, command, image.handle) {
            defer { command = elf_next(memberHandle); elf_end(memberHandle) }
            guard let header = elf_getarhdr(memberHandle) else { continue }
            let name = String(cString: header.pointee.ar_name)
            // libelf lists the archive's own index ("/") and long-name table ("//") as members.
            if name == "/" || name == "//" || name == "/SYM64/" { continue }
            var size = 0
            let start = Int(elf_getbase(memberHandle))
            guard elf_rawfile(memberHandle, &size) != nil, start >= 60, start + size <= bytes.count else {
                throw ELFError.malformed(file: "\(path)(\(ELFError.printable(name)))", detail: LibElfImage.lastError)
            }
            // elf_getbase is the member's data offset; the index names the header 60 bytes before it.
            memberAtOffset[start - 60] = members.count
            members.append(.init(name: name, bytes: bytes[start..<(start + size)]))
        }
        // The archive's own symbol index (what `ar s` writes) says which member defines what
        // without parsing every member; without one, every member is read.
        var count = 0
        if let symbols = elf_getarsym(image.handle, &count), count > 1 {
            var definitions: [String: Int] = [:]
            for i in 0..<(count - 1) {
                let entry = symbols[i]
                guard let pointer = entry.as_name, let name = image.string(at: pointer),
                      let member = memberAtOffset[Int(entry.as_off)] else { continue }
                definitions[name] = member
            }
            return ELFArchive(path: path, members: members, definitions: definitions)
        }
        return try index(members: members, path: path)
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
        return ELFArchive(path: path, members: members, definitions: definitions)
    }
}
