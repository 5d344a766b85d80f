import CLibElf

/// A block of memory handed to libelf, which reads it in place; it must outlive every
/// `Elf` handle made from it, so the handle and the memory live and die together here.
final class LibElfImage {
    let handle: OpaquePointer
    private let memory: UnsafeMutableRawBufferPointer

    init(bytes: [UInt8], file: String) throws {
        guard LibElfImage.libraryReady else {
            throw ELFError.unreadable(file: file, detail: "libelf refused to initialise: \(LibElfImage.lastError)")
        }
        // One zero byte past the input: libelf hands out names as pointers into this memory
        // (the archive symbol index's among them) without checking that they end inside it,
        // so a truncated name table would have String(cString:) read past the end (found by
        // Fuzz/elf). libelf itself is told the real size.
        memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + 1, alignment: 16)
        memory.copyBytes(from: bytes)
        memory[bytes.count] = 0
        let base = memory.baseAddress!.assumingMemoryBound(to: CChar.self)
        guard let elf = elf_memory(base, bytes.count) else {
            memory.deallocate()
            throw ELFError.notELF(file: file, detail: LibElfImage.lastError)
        }
        handle = elf
    }

    deinit {
        elf_end(handle)
        memory.deallocate()
    }

    var kind: Elf_Kind { elf_kind(handle) }

    /// A C string libelf pointed at inside the file, or nil when the pointer lies outside it:
    /// libelf computes archive index names from offsets in the file without checking them
    /// (found by Fuzz/elf). The zero byte after the input ends any string that starts inside.
    func string(at pointer: UnsafePointer<CChar>) -> String? {
        let start = UnsafeRawPointer(memory.baseAddress!), address = UnsafeRawPointer(pointer)
        guard address >= start, address < start + (memory.count - 1) else { return nil }
        return String(cString: pointer)
    }

    /// elf_version must be called once before any other libelf function.
    static let libraryReady: Bool = elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE)

    static var lastError: String {
        guard let message = elf_errmsg(-1) else { return "unknown libelf error" }
        return String(cString: message)
    }
}
