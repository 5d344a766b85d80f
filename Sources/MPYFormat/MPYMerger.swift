/// Merges .mpy files into one whose top level runs each input's top level in turn, the way
/// `tools/mpy-tool.py --merge` (MicroPython 1.29) does, with byte-identical output.
///
/// A single input is returned unchanged. Otherwise the one native input (if any) goes first;
/// the qstr and object tables of all inputs are concatenated verbatim (or, with `.shared`, a
/// qstr an earlier input has is stored once); a new top-level function calls every input's top
/// level; the first input's code is copied verbatim and the others are rewritten so their
/// indices point into the merged tables.
public enum MPYMerger {
    /// How the merged qstr table is laid out.
    public enum QstrLayout: Sendable {
        /// Every input's table in turn, as mpy-tool writes it: byte-identical output.
        case concatenated
        /// A later input's qstr that an earlier input already has is stored once: a smaller
        /// file and fewer qstrs interned on the device, but not mpy-tool's bytes.
        case shared
    }

    public static func merge(_ inputs: [(name: String, bytes: [UInt8])],
                             qstrLayout: QstrLayout = .concatenated) throws(MPYMergeError) -> [UInt8] {
        guard !inputs.isEmpty else { throw .noInputs }

        // Validate in input order, as upstream reads every file before merging.
        var modules: [(name: String, bytes: [UInt8], file: MPYFile)] = []
        var nativeArch: UInt8 = 0
        var smallIntBits: UInt8 = 0
        for input in inputs {
            let file = try decode(input.name, input.bytes, nativeArch: &nativeArch)
            // Upstream keeps the small-int bits of whichever file it read last.
            smallIntBits = file.header.smallIntBits
            modules.append((input.name, input.bytes, file))
        }
        if modules.count == 1 { return inputs[0].bytes }

        let nativeIndices = modules.indices.filter { modules[$0].file.header.hasNativeCode }
        if nativeIndices.count > 1 {
            throw .moreThanOneNative(first: modules[nativeIndices[0]].name, second: modules[nativeIndices[1]].name)
        }
        var archFlags = 0
        var subVersion: UInt8 = 0
        if let native = nativeIndices.first {
            // Native code addresses qstrs and constants through its module's tables, so its
            // tables must stay at index 0: it goes first and is never rewritten.
            archFlags = modules[native].file.header.archFlags ?? 0
            subVersion = modules[native].file.header.subVersion
            modules.insert(modules.remove(at: native), at: 0)
        }

        var feature: UInt8 = 0
        if nativeArch != 0 {
            feature = (archFlags != 0 ? MPY.archFlagsPresent : 0) | nativeArch << 2 | subVersion
        }
        var output: [UInt8] = [MPY.magic, MPY.version, feature, smallIntBits]
        if archFlags != 0 { output += VarInt.encode(archFlags) }
        let qstrTable = MergedQstrTable(modules.map { ($0.bytes, $0.file.qstrs) }, layout: qstrLayout)
        output += VarInt.encode(qstrTable.count)
        output += VarInt.encode(modules.reduce(0) { $0 + $1.file.objects.count })
        output += qstrTable.bytes
        for module in modules { output += module.bytes[module.file.objectTableRange] }

        output += topLevelCode(callingChildren: modules.count)
        output += VarInt.encode(modules.count)

        var objectBase = 0
        for (position, module) in modules.enumerated() {
            if position == 0 {
                // Upstream copies from the raw code to the end of the file, trailing bytes too.
                output += module.bytes[module.file.rawCode.range.lowerBound...]
            } else {
                do {
                    output += try BytecodeRewriter.rewrite(module.file.rawCode, qstrs: qstrTable.maps[position],
                                                           objectBase: objectBase)
                } catch {
                    throw .cannotRewrite(file: module.name, error)
                }
            }
            objectBase += module.file.objects.count
        }
        return output
    }

    /// Header checks in upstream's order (magic, version, native sub-version and arch), then
    /// the full decode, then the source-name check upstream makes when naming the module.
    private static func decode(_ name: String, _ bytes: [UInt8], nativeArch: inout UInt8) throws(MPYMergeError) -> MPYFile {
        var cursor = ByteCursor(bytes)
        let header: MPYHeader
        do {
            header = try MPYReader.readHeader(&cursor)
        } catch {
            if case .unsupportedVersion(let found) = error.problem { throw .incompatibleVersion(file: name, found: found) }
            throw .notAnMPY(file: name, error)
        }
        if header.hasNativeCode {
            guard ABIVersion.supported.contains(header.abi) else {
                throw .incompatibleSubVersion(file: name, found: header.subVersion)
            }
            if nativeArch == 0 {
                nativeArch = header.archCode
            } else if nativeArch != header.archCode {
                throw .archMismatch(file: name, expected: nativeArch, found: header.archCode)
            }
        }
        let file: MPYFile
        do {
            file = try MPYReader.read(bytes)
        } catch {
            throw .malformed(file: name, error)
        }
        guard let sourceName = file.qstrs.first?.text,
              sourceName.unicodeScalars.allSatisfy({ (0x20...0x7F).contains($0.value) }) else {
            throw .badModuleName(file: name)
        }
        return file
    }

    /// The new top level: MAKE_FUNCTION i, CALL_FUNCTION 0, POP_TOP for each child, then
    /// return None. Its prelude claims one stack slot, no arguments, and qstr 0 (the first
    /// input's source name) as its name.
    private static func topLevelCode(callingChildren count: Int) -> [UInt8] {
        var code: [UInt8] = [0x00, 0x02, 0x00]
        for index in 0..<count {
            code.append(BytecodeOp.makeFunction)
            code += VarInt.encode(index)
            code += [BytecodeOp.callFunction, 0, BytecodeOp.popTop]
        }
        code += [BytecodeOp.loadConstNone, BytecodeOp.returnValue]
        return VarInt.encode(code.count << 3 | 4) + code
    }
}
