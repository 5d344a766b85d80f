import MPYFormat

/// Lays out one native raw code for reading: instructions, with the words the loader
/// relocates shown as data lines naming what they point at, and instructions that load or
/// reach such a word noted with its name.
struct NativeDisassembly {
    var disassembler: Disassembler
    var naming: RelocationNaming
    var relocations: [MPYRelocation]
    /// Where the machine code ends and the prelude starts (native Python), else the text size.
    var codeEnd: Int

    func lines() throws(DisassemblyError) -> [DisassemblyLine] {
        let text = naming.text
        let wordSize = naming.wordSize
        // Byte offset of each relocated word in .text -> its name.
        var relocatedWords: [Int: String] = [:]
        for relocation in relocations where relocation.base == .text {
            for index in 0..<min(relocation.count, text.count / wordSize + 1) {
                let offset = (relocation.wordOffset + index) * wordSize
                guard offset + wordSize <= text.count else { break }
                relocatedWords[offset] = naming.name(relocation, word: index)
            }
        }

        var lines: [DisassemblyLine] = []
        var segmentStart = 0
        let wordStarts = relocatedWords.keys.filter { $0 < codeEnd }.sorted()
        for wordStart in wordStarts + [codeEnd] {
            if wordStart > segmentStart {
                let instructions = try disassembler.disassemble(text, in: segmentStart..<wordStart)
                lines += instructions.map { line(for: $0, relocatedWords: relocatedWords) }
            }
            guard wordStart < codeEnd, let name = relocatedWords[wordStart] else { break }
            let end = min(wordStart + wordSize, text.count)
            lines.append(DisassemblyLine(
                offset: wordStart, bytes: hex(text[wordStart..<end]),
                text: ".word 0x" + String(naming.storedWord(.text, byteOffset: wordStart) ?? 0, radix: 16),
                notes: ["relocated: " + name]))
            segmentStart = max(segmentStart, end)
        }
        if codeEnd < text.count {
            lines.append(DisassemblyLine(
                offset: codeEnd, bytes: "", text: "(prelude, \(text.count - codeEnd) bytes)", notes: []))
        }
        return lines
    }

    private func line(for instruction: DisassembledInstruction, relocatedWords: [Int: String]) -> DisassemblyLine {
        var notes: [String] = []
        for address in instruction.referencedAddresses {
            let wordStart = address - address % naming.wordSize
            if let name = relocatedWords[wordStart] { notes.append("-> " + name) }
        }
        return DisassemblyLine(
            offset: instruction.offset, bytes: hex(instruction.bytes[...]), text: instruction.text, notes: notes)
    }

    private func hex(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
