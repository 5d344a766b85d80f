/// A static library (`ar` archive) of relocatable objects, read through libelf.
/// Members are found lazily: linking a module needs a handful of the 1,700 objects in a
/// libgcc.a, so only the archive's symbol index is read up front, and a member's bytes are
/// looked at (and copied) when the linker pulls it in.
public struct ELFArchive: Sendable {
    public struct Member: Sendable {
        public var name: String
        public var bytes: ArraySlice<UInt8>

        public init(name: String, bytes: ArraySlice<UInt8>) {
            self.name = name
            self.bytes = bytes
        }

        public init(name: String, bytes: [UInt8]) {
            self.init(name: name, bytes: bytes[...])
        }
    }

    /// Where the members come from: already in memory, or found in the archive on demand.
    enum Storage: Sendable {
        case loaded([Member])
        case indexed(IndexedArchive)
    }

    public var path: String
    /// Defined global symbol -> member number (0..<memberCount). Where two members define one
    /// symbol, the later member wins, as in upstream mpy_ld.py's archive index.
    public var definitions: [String: Int]
    let storage: Storage

    init(path: String, definitions: [String: Int], storage: Storage) {
        self.path = path
        self.definitions = definitions
        self.storage = storage
    }

    /// How many members `definitions` can name.
    public var memberCount: Int {
        switch storage {
        case .loaded(let members): return members.count
        case .indexed(let archive): return archive.memberCount
        }
    }

    public func member(at index: Int) throws -> Member {
        switch storage {
        case .loaded(let members): return members[index]
        case .indexed(let archive): return try archive.member(at: index)
        }
    }

    /// Every member `definitions` can name, in archive order (reads each of them).
    public func loadMembers() throws -> [Member] {
        try (0..<memberCount).map { try member(at: $0) }
    }

    public func object(at index: Int) throws -> ELFObject {
        let member = try member(at: index)
        return try ObjectReader.read(bytes: Array(member.bytes), name: "\(path)(\(ELFError.printable(member.name)))")
    }
}
