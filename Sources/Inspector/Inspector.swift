import MPYFormat

/// Decodes an .mpy file into an `InspectionReport`: header, tables, every raw code, decoded
/// relocations and, when asked, the native code disassembled and annotated.
public enum Inspector {
    public static func inspect(_ bytes: [UInt8], disassemble: Bool = false) throws(MPYDecodeError) -> InspectionReport {
        let file = try MPYReader.read(bytes)
        let header = file.header
        var notes: [String] = []
        var codes: [CodeReport] = []
        var walk: [(code: MPYRawCode, path: String, depth: Int)] = [(file.rawCode, "0", 0)]
        while let (code, path, depth) = walk.popLast() {
            codes.append(report(code, path: path, depth: depth, file: file, disassemble: disassemble, notes: &notes))
            for (index, child) in code.children.enumerated().reversed() {
                walk.append((child, "\(path).\(index)", depth + 1))
            }
        }
        return InspectionReport(
            fileSize: bytes.count,
            header: report(header),
            qstrs: file.qstrs.enumerated().map {
                QstrReport(index: $0.offset, text: $0.element.text, staticNumber: $0.element.staticNumber,
                           offset: $0.element.range.lowerBound)
            },
            objects: file.objects.enumerated().map {
                ObjectReport(index: $0.offset, type: ObjectDescription.type($0.element.value),
                             value: ObjectDescription.text($0.element.value), offset: $0.element.range.lowerBound)
            },
            codes: codes, trailingBytes: file.trailingRange.count, notes: notes)
    }

    static func report(_ header: MPYHeader) -> HeaderReport {
        let flags = header.archFlags ?? 0
        return HeaderReport(
            version: Int(header.version), subVersion: Int(header.subVersion), abi: header.abi.description,
            featureByte: Int(header.featureByte), archCode: Int(header.archCode), arch: header.arch?.rawValue,
            archDescription: NativeArch.describe(code: header.archCode), archFlags: header.archFlags,
            archFlagNames: ArchFlagNames.names(flags, archCode: header.archCode),
            smallIntBits: Int(header.smallIntBits),
            content: header.hasNativeCode ? "native" : "bytecode",
            loadsOn: header.hasNativeCode ? header.abi.micropythonReleases
                : "any MicroPython with .mpy version \(header.version) (1.22 and later)")
    }

    static func kindName(_ kind: MPY.CodeKind) -> String {
        switch kind {
        case .bytecode: return "bytecode"
        case .nativePython: return "native"
        case .nativeViper: return "viper"
        case .nativeAsm: return "asm"
        }
    }

    static func report(_ code: MPYRawCode, path: String, depth: Int, file: MPYFile, disassemble: Bool,
                       notes: inout [String]) -> CodeReport {
        let name = code.prelude.flatMap { file.qstrs.indices.contains($0.simpleName) ? file.qstrs[$0.simpleName].text : nil }
        var result = CodeReport(
            path: path, depth: depth, name: name, kind: kindName(code.kind), offset: code.range.lowerBound,
            size: code.range.count, childCount: code.children.count, bytecode: nil, native: nil)
        if code.kind == .bytecode, let prelude = code.prelude {
            result.bytecode = BytecodeReport(
                positionalArgs: prelude.nPosArgs, keywordOnlyArgs: prelude.nKwonlyArgs, defaultArgs: prelude.nDefPosArgs,
                argNames: prelude.argNames.map { file.qstrs.indices.contains($0) ? file.qstrs[$0].text : "?\($0)" },
                stateSize: prelude.nState, exceptionStackSize: prelude.nExcStack, scopeFlags: prelude.scopeFlags,
                scopeFlagNames: ScopeFlagNames.names(prelude.scopeFlags, kind: code.kind),
                opcodeBytes: code.funDataRange.upperBound - prelude.opcodesStart, instructionCount: code.instructions.count)
        }
        if let native = code.native {
            result.native = report(native, code: code, file: file, disassemble: disassemble, notes: &notes, path: path)
        }
        return result
    }

    static func report(_ native: MPYNativeCode, code: MPYRawCode, file: MPYFile, disassemble: Bool,
                       notes: inout [String], path: String) -> NativeReport {
        let abi = file.header.abi
        let wordSize = file.header.arch?.wordSize ?? 4
        let naming = RelocationNaming(
            abi: abi, wordSize: wordSize, qstrs: file.qstrs, objects: file.objects, text: code.funData, rodata: native.rodata)
        let relocations = native.relocations.map {
            RelocationReport(
                base: RelocationNaming.base($0.base), offset: $0.wordOffset * wordSize, count: $0.count,
                kind: RelocationNaming.kind($0.target), entry: { if case .funTableEntry(let i) = $0.target { i } else { nil } }($0),
                target: naming.name($0), fileOffset: $0.range.lowerBound)
        }
        var result = NativeReport(
            textOffset: code.funDataRange.lowerBound, textSize: code.funData.count, rodataSize: native.rodataSize,
            bssSize: native.bssSize, scopeFlags: native.scopeFlags,
            scopeFlagNames: ScopeFlagNames.names(native.scopeFlags, kind: code.kind),
            preludeOffset: native.preludeOffset, relocations: relocations, disassembly: nil)
        if disassemble {
            guard let arch = file.header.arch else {
                notes.append("code \(path): no disassembler for \(NativeArch.describe(code: file.header.archCode))")
                return result
            }
            let layout = NativeDisassembly(
                disassembler: Disassembler(arch: arch), naming: naming, relocations: native.relocations,
                codeEnd: native.preludeOffset ?? code.funData.count)
            do {
                result.disassembly = try layout.lines()
            } catch {
                notes.append("code \(path): \(error)")
            }
        }
        return result
    }
}
