import CLibElf

/// A block of memory handed to libelf, which reads it in place; it must outlive every
/// `Elf` handle made from it, so the handle and the memory live and die together here.
/// The memory is either a copy this image owns or a mapped file it keeps alive.
final class LibElfImage {
    let handle: OpaquePointer
    private let start: UnsafeMutableRawPointer
    /// The input's size; `start[size]` is a zero byte.
    let size: Int
    /// The mapping `start` points into, or nil when `start` is a copy this image frees.
    private let mapping: MappedFile?

    convenience init(bytes: [UInt8], file: String) throws {
        // One zero byte past the input: libelf hands out names as pointers into this memory
        // (the archive symbol index's among them) without checking that they end inside it,
        // so a truncated name table would have String(cString:) read past the end (found by
        // Fuzz/elf). libelf itself is told the real size.
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + 1, alignment: 16)
        memory.copyBytes(from: bytes)
        memory[bytes.count] = 0
        try self.init(start: memory.baseAddress!, size: bytes.count, mapping: nil, file: file)
    }

    /// Reads a mapped file in place; MappedFile supplies the zero byte after it.
    convenience init(mapping: MappedFile, file: String) throws {
        try self.init(start: mapping.base, size: mapping.size, mapping: mapping, file: file)
    }

    private init(start: UnsafeMutableRawPointer, size: Int, mapping: MappedFile?, file: String) throws {
        self.start = start
        self.size = size
        self.mapping = mapping
        guard LibElfImage.libraryReady else {
            if mapping == nil { start.deallocate() }
            throw ELFError.unreadable(file: file, detail: "libelf refused to initialise: \(LibElfImage.lastError)")
        }
        guard let elf = elf_memory(start.assumingMemoryBound(to: CChar.self), size) else {
            if mapping == nil { start.deallocate() }
            throw ELFError.notELF(file: file, detail: LibElfImage.lastError)
        }
        handle = elf
    }

    deinit {
        elf_end(handle)
        if mapping == nil { start.deallocate() }
    }

    var kind: Elf_Kind { elf_kind(handle) }

    /// Whether `count` bytes at `pointer` lie inside the input.
    func contains(_ pointer: UnsafeRawPointer, count: Int) -> Bool {
        let begin = UnsafeRawPointer(start)
        return pointer >= begin && count >= 0 && count <= size && pointer - begin <= size - count
    }

    /// The offset of `pointer` from the start of the input.
    func offset(of pointer: UnsafeRawPointer) -> Int { pointer - UnsafeRawPointer(start) }

    /// A C string libelf pointed at inside the file, or nil when the pointer lies outside it:
    /// libelf computes archive index names from offsets in the file without checking them
    /// (found by Fuzz/elf). The zero byte after the input ends any string that starts inside.
    func string(at pointer: UnsafePointer<CChar>) -> String? {
        let address = UnsafeRawPointer(pointer), begin = UnsafeRawPointer(start)
        guard address >= begin, address < begin + size else { return nil }
        return String(cString: pointer)
    }

    /// elf_version must be called once before any other libelf function.
    static let libraryReady: Bool = elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE)

    static var lastError: String {
        guard let message = elf_errmsg(-1) else { return "unknown libelf error" }
        return String(cString: message)
    }
}
