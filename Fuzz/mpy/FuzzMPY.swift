// libFuzzer target: an .mpy file handed to `mpyforge inspect --disasm` (or `check`, `merge`).
// Decodes it with the Inspector the CLI uses, disassembles native code with libopcodes and
// renders the text and JSON reports, then merges it as `mpyforge merge` would.
import Inspector
import MPYFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMPY(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        let report = try Inspector.inspect(bytes, disassemble: !isXtensa(bytes))
        _ = InspectionText.render(report, fileName: "fuzz.mpy")
        _ = try? InspectionJSON.encode(report)
    } catch {
        // MPYDecodeError always carries the offset; the CLI prefixes the file name.
        fuzzCheckErrorLine(error, names: "offset \(error.offset):")
        return 0
    }
    // One input exercises the rewrite of every function; two copies the table offsets
    // (refused for native code, which a merge may hold only once).
    for copies in 1...2 {
        do {
            _ = try MPYMerger.merge(Array(repeating: (name: "fuzz.mpy", bytes: bytes), count: copies))
        } catch {
            fuzzCheckErrorLine(error, names: "fuzz.mpy")
        }
    }
    return 0
}

/// Xtensa code is disassembled by running an external objdump per function, which is the
/// tool's code, not ours, and far too slow for fuzzing; the decoding still runs.
private func isXtensa(_ bytes: [UInt8]) -> Bool {
    guard bytes.count > 2 else { return false }
    let archCode = bytes[2] >> 2 & 0x2F
    return archCode == NativeArch.xtensa.code || archCode == NativeArch.xtensawin.code
}
