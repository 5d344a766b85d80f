import CLibElf
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An archive read through its symbol index: members are known by the offsets of their
/// headers, and libelf parses a member's header (long names included) only when asked.
/// Link jobs share archives across threads, and libelf walks an archive through one cursor
/// per handle (elf_rand), so member lookups take turns.
final class IndexedArchive: @unchecked Sendable {  // the libelf handle is only used under `lock`
    private let image: LibElfImage
    private let path: String
    /// Header offset of each member, in archive order.
    private let headerOffsets: [Int]
    private let lock: UnsafeMutablePointer<pthread_mutex_t>

    init(image: LibElfImage, path: String, headerOffsets: [Int]) {
        self.image = image
        self.path = path
        self.headerOffsets = headerOffsets
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    var memberCount: Int { headerOffsets.count }

    func member(at index: Int) throws -> ELFArchive.Member {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        let offset = headerOffsets[index]
        let place = "\(path) (member at offset \(offset))"
        guard elf_rand(image.handle, offset) == offset,
              let memberHandle = elf_begin(-1, ELF_C_READ_MMAP, image.handle) else {
            throw ELFError.malformed(file: place, detail: "the symbol index names no member here: \(LibElfImage.lastError)")
        }
        defer { elf_end(memberHandle) }
        guard let header = elf_getarhdr(memberHandle) else {
            throw ELFError.malformed(file: place, detail: "member header: \(LibElfImage.lastError)")
        }
        let name = String(cString: header.pointee.ar_name)
        var size = 0
        guard let raw = elf_rawfile(memberHandle, &size), image.contains(raw, count: size) else {
            throw ELFError.malformed(file: "\(path)(\(ELFError.printable(name)))", detail: "member runs past the end of the archive")
        }
        return ELFArchive.Member(name: name, bytes: Array(UnsafeRawBufferPointer(start: raw, count: size)))
    }
}
