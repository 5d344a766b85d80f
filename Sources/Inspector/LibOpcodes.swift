import CLibOpcodes
#if canImport(Glibc)
import Glibc
#endif

/// binutils' all-targets libopcodes, opened the first time something is disassembled; the
/// other commands never load it (or libbfd, which it pulls in).
struct LibOpcodes: @unchecked Sendable {  // function pointers, written once before anyone reads them
    /// The exact release whose headers (binutils-dev 2.40) we compiled against: the layout of
    /// disassemble_info changes between binutils releases, so another one must not be loaded.
    static let defaultLibrary = "libopcodes-2.40-multiarch.so"

    let functions: mpyforge_libopcodes

    /// Loaded once per process; the error says what to install. $MPYFORGE_LIBOPCODES names
    /// another file (a path, or a name the dynamic loader searches for).
    static let shared: Result<LibOpcodes, DisassemblyError> = {
        let library = getenv("MPYFORGE_LIBOPCODES").map { String(cString: $0) } ?? defaultLibrary
        var functions = mpyforge_libopcodes()
        if let reason = mpyforge_libopcodes_open(library, &functions) {
            return .failure(.libraryMissing(library: library, reason: String(cString: reason)))
        }
        return .success(LibOpcodes(functions: functions))
    }()
}
