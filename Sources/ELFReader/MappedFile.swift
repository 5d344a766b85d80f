#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped into memory instead of read: a 10 MB libgcc.a costs only the pages of it that
/// are touched (its symbol index and the few members a link pulls in), not a copy of it.
/// The mapping is private (copy-on-write), so libelf may write to it without changing the file,
/// and one zero byte always follows the contents (see LibElfImage).
final class MappedFile: @unchecked Sendable {  // immutable after init; the mapping lives until deinit
    let base: UnsafeMutableRawPointer
    /// The file's size; `base[size]` is a readable zero byte.
    let size: Int
    private let length: Int

    init(path: String) throws(ELFError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(file: path, detail: MappedFile.lastError) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(file: path, detail: MappedFile.lastError) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(file: path, detail: "not a regular file") }
        size = Int(status.st_size)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        length = (size + 1 + page - 1) / page * page
        // Zeroed anonymous memory one byte longer than the file, with the file laid over its
        // start: the byte after the contents is zero even when the size is a multiple of a page.
        guard let reserved = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              reserved != MAP_FAILED else {
            throw .unreadable(file: path, detail: "cannot map \(size) bytes: \(MappedFile.lastError)")
        }
        if size > 0 {
            let mapped = mmap(reserved, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, descriptor, 0)
            guard mapped == reserved else {
                let reason = MappedFile.lastError
                munmap(reserved, length)
                throw .unreadable(file: path, detail: "cannot map: \(reason)")
            }
        }
        base = reserved
    }

    deinit { munmap(base, length) }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }

    private static var lastError: String { String(cString: strerror(errno)) }
}
