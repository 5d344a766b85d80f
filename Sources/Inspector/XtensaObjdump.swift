import Foundation
import Subprocess

/// Xtensa disassembly through binutils' xtensa-lx106-elf-objdump (binutils-xtensa-lx106):
/// Debian's multiarch libopcodes leaves Xtensa out, because each Xtensa core configuration
/// needs its own build. That objdump knows the ESP8266 (lx106) core, which lacks the
/// windowed-register instructions of ESP32 code (entry, callx8, retw); it shows them as unknown.
struct XtensaObjdump {
    static let toolName = "xtensa-lx106-elf-objdump"

    static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        return directories.map { $0 + "/" + toolName }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    var path: String

    func disassemble(_ code: [UInt8], in range: Range<Int>) throws(DisassemblyError) -> [DisassembledInstruction] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mpyforge-xtensa-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        let input = directory.appendingPathComponent("text.bin")
        let listing: ProcessRunner.Output
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try Data(code).write(to: input)
            listing = try ProcessRunner.run(path, ["-D", "-b", "binary", "-m", "xtensa", "-z",
                                                   "--start-address=\(range.lowerBound)",
                                                   "--stop-address=\(range.upperBound)", input.path])
        } catch {
            throw .toolFailed(XtensaObjdump.toolName)
        }
        guard listing.status == 0 else { throw .toolFailed(XtensaObjdump.toolName) }
        return parse(listing.stdout, code: code, range: range)
    }

    /// Lines look like "   1c:\t6827      \tl32i.n\ta6, a7, 8".
    func parse(_ listing: String, code: [UInt8], range: Range<Int>) -> [DisassembledInstruction] {
        var found: [(offset: Int, text: String)] = []
        for line in listing.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0].hasSuffix(":"),
                  let offset = Int(fields[0].dropLast().trimmingCharacters(in: .whitespaces), radix: 16),
                  range.contains(offset) else { continue }
            found.append((offset, String(fields[2]).replacingOccurrences(of: "\t", with: " ")))
        }
        return found.enumerated().map { index, entry in
            let end = index + 1 < found.count ? found[index + 1].offset : range.upperBound
            return DisassembledInstruction(
                offset: entry.offset, bytes: Array(code[entry.offset..<max(entry.offset, end)]), text: entry.text,
                referencedAddresses: referencedAddress(entry.text).map { [$0] } ?? [])
        }
    }

    /// The branch target or literal address objdump prints last ("l32r a4, 0x10").
    private func referencedAddress(_ text: String) -> Int? {
        guard let range = text.range(of: "0x", options: .backwards) else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isHexDigit }
        guard let value = UInt32(digits, radix: 16) else { return nil }
        return Int(Int32(bitPattern: value))
    }
}
