// libFuzzer target: bytes a user passes to `mpyforge link` as an object or a -l archive.
// Reads them with the same ELFReader the linker uses, then links what it read, because a
// hostile object that reads cleanly (a relocation past its section, a symbol in section 9999)
// reaches the linker next. Errors are fine; traps, ASan reports and hangs are bugs.
import ELFReader
import Linker
import MPYFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzELF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if ArchiveReader.isArchive(bytes) {
        guard let archive = expectingCleanError({ try ArchiveReader.read(bytes: bytes, path: "fuzz.a") }) else { return 0 }
        for index in 0..<archive.memberCount {
            if let object = expectingCleanError({ try archive.object(at: index) }) { link(object) }
        }
    } else if let object = expectingCleanError({ try ObjectReader.read(bytes: bytes, name: "fuzz.o") }) {
        link(object)
    }
    return 0
}

/// The arch a real build would pass for an object of this ELF machine.
private func arch(for object: ELFObject) -> NativeArch {
    switch object.machine {
    case Machine.i386: return .x86
    case Machine.arm: return .armv7emsp
    case Machine.xtensa: return .xtensawin
    case Machine.riscv: return object.wordSize == 8 ? .rv64imc : .rv32imc
    default: return .x64
    }
}

private func link(_ object: ELFObject) {
    let request = LinkRequest(arch: arch(for: object), objects: [object], qstrs: ["fuzz"], sourceName: "fuzz.mpy")
    // Link errors may be about the module as a whole (no mpy_init) and some add a hint line,
    // so only the reader's errors are held to "one line naming the file".
    guard let result = try? Linker.link(request) else { return }
    _ = NativeModuleWriter.encode(result.image)
}

/// Runs `body`; a thrown error must be one line naming the input, as the CLI prints it.
private func expectingCleanError<T>(_ body: () throws -> T) -> T? {
    do {
        return try body()
    } catch {
        fuzzCheckErrorLine(error, names: "fuzz")
        return nil
    }
}
