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
        // libelf wants at least one byte of storage even for an empty input.
        memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        memory.copyBytes(from: bytes)
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

    /// elf_version must be called once before any other libelf function.
    static let libraryReady: Bool = elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE)

    static var lastError: String {
        guard let message = elf_errmsg(-1) else { return "unknown libelf error" }
        return String(cString: message)
    }
}
