/// The human-readable form of an `InspectionReport`, as `mpyforge inspect` prints it.
public enum InspectionText {
    public static func render(_ report: InspectionReport, fileName: String) -> String {
        var out: [String] = []
        let header = report.header
        out.append("\(fileName): \(report.fileSize) bytes, \(header.content) .mpy")
        out.append("  format        .mpy \(header.version), sub-version \(header.subVersion) (ABI \(header.abi)), loads on \(header.loadsOn)")
        out.append("  arch          \(header.archDescription) (arch code \(header.archCode), feature byte \(hex(header.featureByte)))")
        if let flags = header.archFlags {
            let names = header.archFlagNames.isEmpty ? "" : " (\(header.archFlagNames.joined(separator: ", ")))"
            out.append("  arch flags    \(hex(flags))\(names)")
        } else {
            out.append("  arch flags    none")
        }
        out.append("  small-int     \(header.smallIntBits) bits")
        if report.trailingBytes > 0 {
            out.append("  trailing      \(report.trailingBytes) bytes after the last raw code (ignored by MicroPython)")
        }

        out.append("")
        out.append("qstrs (\(report.qstrs.count)):")
        for qstr in report.qstrs {
            let origin = qstr.staticNumber.map { "  (static qstr \($0))" } ?? ""
            out.append("  \(pad(String(qstr.index), 4)) \(qstr.text)\(origin)")
        }
        out.append("")
        out.append("objects (\(report.objects.count)):")
        for object in report.objects {
            out.append("  \(pad(String(object.index), 4)) \(pad(object.type, 9)) \(object.value)")
        }
        out.append("")
        out.append("code (\(report.codes.count)):")
        for code in report.codes {
            out += lines(for: code)
        }
        for note in report.notes {
            out.append("note: \(note)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func lines(for code: CodeReport) -> [String] {
        let indent = String(repeating: "  ", count: code.depth + 1)
        let children = code.childCount == 0 ? "" : ", \(code.childCount) \(code.childCount == 1 ? "child" : "children")"
        var out = ["\(indent)[\(code.path)] \(code.name ?? "(no name)"): \(code.kind), \(code.size) bytes at \(hex(code.offset))\(children)"]
        let detail = indent + "    "
        if let bytecode = code.bytecode {
            let args = bytecode.argNames.isEmpty ? "" : " (\(bytecode.argNames.joined(separator: ", ")))"
            out.append("\(detail)args: \(bytecode.positionalArgs) positional, \(bytecode.keywordOnlyArgs) keyword-only, \(bytecode.defaultArgs) defaults\(args)")
            out.append("\(detail)\(bytecode.instructionCount) instructions in \(bytecode.opcodeBytes) bytes, state \(bytecode.stateSize)\(flags(bytecode.scopeFlags, bytecode.scopeFlagNames))")
        }
        if let native = code.native {
            var sizes = "text \(native.textSize) bytes at \(hex(native.textOffset))"
            if let rodata = native.rodataSize { sizes += ", rodata \(rodata)" }
            if let bss = native.bssSize { sizes += ", bss \(bss)" }
            if let prelude = native.preludeOffset { sizes += ", prelude at text+\(hex(prelude))" }
            out.append("\(detail)\(sizes)\(flags(native.scopeFlags, native.scopeFlagNames))")
            if !native.relocations.isEmpty {
                out.append("\(detail)relocations (\(native.relocations.count)):")
                for relocation in native.relocations {
                    let count = relocation.count == 1 ? "" : " x\(relocation.count)"
                    out.append("\(detail)  \(relocation.base)+\(hex(relocation.offset))\(count)  \(pad(relocation.kind, 15)) \(relocation.target)")
                }
            }
            if let disassembly = native.disassembly {
                out.append("\(detail)disassembly:")
                for line in disassembly {
                    let notes = line.notes.isEmpty ? "" : "    ; " + line.notes.joined(separator: "; ")
                    out.append("\(detail)  \(pad(hex4(line.offset), 7)) \(pad(line.bytes, 20)) \(line.text)\(notes)")
                }
            }
        }
        return out
    }

    static func flags(_ value: Int, _ names: [String]) -> String {
        ", scope flags \(hex(value))" + (names.isEmpty ? "" : " (\(names.joined(separator: ", ")))")
    }

    static func hex(_ value: Int) -> String { "0x" + String(value, radix: 16) }

    static func hex4(_ value: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + ":"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
