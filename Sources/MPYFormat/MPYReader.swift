/// Decodes .mpy files of format version 6 (any sub-version, bytecode or native) the way
/// MicroPython's loader reads them, keeping the file offset of every part.
///
/// Every loop consumes at least one input byte per round and every count is checked against
/// the bytes left before use, so hostile input ends in an `MPYDecodeError`, never a trap,
/// a hang or a huge allocation.
public enum MPYReader {
    /// Deepest nesting of tuples in the object table, and of functions in the raw-code tree.
    public static let nestingLimit = 200

    public static func read(_ bytes: [UInt8]) throws(MPYDecodeError) -> MPYFile {
        var cursor = ByteCursor(bytes)
        let header = try readHeader(&cursor)

        let countsStart = cursor.offset
        let qstrCount = try cursor.count("qstr count")
        let objectCount = try cursor.count("object count")
        let countsRange = countsStart..<cursor.offset

        let qstrStart = cursor.offset
        var qstrs: [MPYQstr] = []
        for _ in 0..<qstrCount {
            qstrs.append(try readQstr(&cursor))
        }
        let objectStart = cursor.offset
        var objects: [MPYObject] = []
        for _ in 0..<objectCount {
            objects.append(try readObject(&cursor, depth: 0))
        }
        let rawCodeStart = cursor.offset
        let rawCode = try readRawCode(&cursor, qstrCount: qstrCount, depth: 0)

        return MPYFile(
            header: header, countsRange: countsRange,
            qstrs: qstrs, qstrTableRange: qstrStart..<objectStart,
            objects: objects, objectTableRange: objectStart..<rawCodeStart,
            rawCode: rawCode, trailingRange: cursor.offset..<bytes.count)
    }

    static func readHeader(_ cursor: inout ByteCursor) throws(MPYDecodeError) -> MPYHeader {
        let magic = try cursor.byte("header magic")
        guard magic == MPY.magic else { throw MPYDecodeError(offset: 0, problem: .badMagic(found: magic)) }
        let version = try cursor.byte("header version")
        guard version == MPY.version else { throw MPYDecodeError(offset: 1, problem: .unsupportedVersion(found: version)) }
        let feature = try cursor.byte("header feature byte")
        let smallIntBits = try cursor.byte("header small-int bits")
        let archFlags = feature & MPY.archFlagsPresent != 0 ? try cursor.varUInt("arch flags") : nil
        return MPYHeader(
            version: version, featureByte: feature, archCode: (feature >> 2) & 0x2F, subVersion: feature & 3,
            archFlags: archFlags, smallIntBits: smallIntBits, range: 0..<cursor.offset)
    }

    static func readQstr(_ cursor: inout ByteCursor) throws(MPYDecodeError) -> MPYQstr {
        let start = cursor.offset
        let lengthAndFlag = try cursor.varUInt("qstr length")
        if lengthAndFlag & 1 != 0 {
            let number = lengthAndFlag >> 1
            guard number >= 1, number <= StaticQstrs.entries.count else {
                throw MPYDecodeError(offset: start, problem: .unknownStaticQstr(number: number))
            }
            return MPYQstr(text: StaticQstrs.entries[number - 1].text, staticNumber: number, range: start..<cursor.offset)
        }
        let text = try readTerminatedString(&cursor, length: lengthAndFlag >> 1, what: "qstr text")
        return MPYQstr(text: String(decoding: text, as: UTF8.self), staticNumber: nil, range: start..<cursor.offset)
    }

    private static func readTerminatedString(_ cursor: inout ByteCursor, length: Int, what: String) throws(MPYDecodeError) -> [UInt8] {
        let text = try cursor.bytes(length, what)
        let terminatorOffset = cursor.offset
        let terminator = try cursor.byte("zero byte after \(what)")
        guard terminator == 0 else {
            throw MPYDecodeError(offset: terminatorOffset, problem: .missingNullTerminator(expected: what, found: terminator))
        }
        return text
    }

    static func readObject(_ cursor: inout ByteCursor, depth: Int) throws(MPYDecodeError) -> MPYObject {
        let start = cursor.offset
        guard depth < nestingLimit else { throw MPYDecodeError(offset: start, problem: .nestingTooDeep(limit: nestingLimit)) }
        let type = try cursor.byte("object type")
        let value: MPYObject.Value
        switch type {
        case 0: value = .funTable
        case 1: value = .none
        case 2: value = .bool(false)
        case 3: value = .bool(true)
        case 4: value = .ellipsis
        case 5, 6:
            let length = try cursor.varUInt(type == 5 ? "str length" : "bytes length")
            let data = try readTerminatedString(&cursor, length: length, what: type == 5 ? "str data" : "bytes data")
            value = type == 5 ? .str(String(decoding: data, as: UTF8.self)) : .bytes(data)
        case 7, 8, 9:
            let what = ["int", "float", "complex"][Int(type) - 7]
            let length = try cursor.varUInt("\(what) text length")
            let text = String(decoding: try cursor.bytes(length, "\(what) text"), as: UTF8.self)
            value = type == 7 ? .int(text) : type == 8 ? .float(text) : .complex(text)
        case 10:
            let count = try cursor.count("tuple length")
            var items: [MPYObject] = []
            for _ in 0..<count {
                items.append(try readObject(&cursor, depth: depth + 1))
            }
            value = .tuple(items)
        default:
            throw MPYDecodeError(offset: start, problem: .unknownObjectType(found: type))
        }
        return MPYObject(value: value, range: start..<cursor.offset)
    }

    static func readRawCode(_ cursor: inout ByteCursor, qstrCount: Int, depth: Int) throws(MPYDecodeError) -> MPYRawCode {
        let start = cursor.offset
        guard depth < nestingLimit else { throw MPYDecodeError(offset: start, problem: .nestingTooDeep(limit: nestingLimit)) }
        let kindAndLength = try cursor.varUInt("raw code kind and length")
        let kind = MPY.CodeKind(rawValue: UInt8(kindAndLength & 3) + MPY.CodeKind.bytecode.rawValue)!
        let hasChildren = kindAndLength & 4 != 0
        let headerRange = start..<cursor.offset
        let funDataStart = cursor.offset
        let funData = try cursor.bytes(kindAndLength >> 3, "function data")
        let funDataRange = funDataStart..<cursor.offset

        var prelude: MPYBytecodePrelude?
        var instructions: [MPYInstruction] = []
        var native: MPYNativeCode?
        if kind == .bytecode {
            var body = ByteCursor(cursor.bytes, offset: funDataRange.lowerBound, end: funDataRange.upperBound)
            let decoded = try MPYBytecodePrelude.decode(&body)
            try checkName(decoded, qstrCount: qstrCount)
            prelude = decoded
            instructions = try BytecodeDecoder.decode(cursor.bytes, from: decoded.opcodesStart, to: funDataRange.upperBound)
        } else {
            let trailerStart = cursor.offset
            var fields = MPYNativeCode(
                preludeOffset: nil, scopeFlags: 0, nPosArgs: nil, typeSig: nil, rodataSize: nil, rodata: [],
                rodataRange: nil, bssSize: nil, relocations: [], relocationRange: nil, trailerRange: trailerStart..<trailerStart)
            if kind == .nativePython {
                let offsetStart = cursor.offset
                let preludeOffset = try cursor.varUInt("native prelude offset")
                guard preludeOffset < funData.count else {
                    throw MPYDecodeError(offset: offsetStart, problem: .countTooLarge(
                        expected: "native prelude offset", count: preludeOffset, available: funData.count))
                }
                var body = ByteCursor(cursor.bytes, offset: funDataStart + preludeOffset, end: funDataRange.upperBound)
                let decoded = try MPYBytecodePrelude.decode(&body)
                try checkName(decoded, qstrCount: qstrCount)
                prelude = decoded
                fields.preludeOffset = preludeOffset
                fields.scopeFlags = decoded.scopeFlags
            } else {
                fields.scopeFlags = try cursor.varUInt("native scope flags")
                if kind == .nativeAsm {
                    fields.nPosArgs = try cursor.varUInt("asm argument count")
                    fields.typeSig = try cursor.varUInt("asm type signature")
                }
            }
            if kind == .nativeViper {
                let flags = UInt(fields.scopeFlags)
                if flags & MPY.ScopeFlag.viperRodata != 0 { fields.rodataSize = try cursor.varUInt("rodata size") }
                if flags & MPY.ScopeFlag.viperBSS != 0 { fields.bssSize = try cursor.varUInt("bss size") }
                if let size = fields.rodataSize {
                    let rodataStart = cursor.offset
                    fields.rodata = try cursor.bytes(size, "rodata")
                    fields.rodataRange = rodataStart..<cursor.offset
                }
            }
            fields.trailerRange = trailerStart..<cursor.offset
            native = fields
        }

        var children: [MPYRawCode] = []
        if hasChildren {
            let count = try cursor.count("child count")
            for _ in 0..<count {
                children.append(try readRawCode(&cursor, qstrCount: qstrCount, depth: depth + 1))
            }
        }

        // MicroPython relocates after loading the children, so the stream comes last.
        if var fields = native, UInt(fields.scopeFlags) & MPY.ScopeFlag.viperRelocations != 0 {
            let relocationStart = cursor.offset
            fields.relocations = try readRelocations(&cursor, textSize: funData.count, rodataSize: fields.rodata.count)
            fields.relocationRange = relocationStart..<cursor.offset
            native = fields
        }

        return MPYRawCode(
            kind: kind, range: start..<cursor.offset, headerRange: headerRange, funDataRange: funDataRange,
            funData: funData, prelude: prelude, instructions: instructions, native: native,
            hasChildrenFlag: hasChildren, children: children)
    }

    private static func checkName(_ prelude: MPYBytecodePrelude, qstrCount: Int) throws(MPYDecodeError) {
        guard prelude.simpleName < qstrCount else {
            throw MPYDecodeError(offset: prelude.namesRange.lowerBound,
                                 problem: .qstrIndexOutOfRange(index: prelude.simpleName, count: qstrCount))
        }
    }

    /// The stream mp_native_relocate reads: an op byte per entry, 0xFF at the end.
    /// Op bit 0 says a new address varint follows (bit 0 of it: .text or .rodata, the rest a
    /// word offset); otherwise patching continues after the previous entry's words. The rest
    /// of the op names the target; targets 0-2 (text, rodata, bss) may carry a count.
    /// Every patched word must lie inside its block: the loader does not check, so a word past
    /// the end would be written over whatever follows it on the device. A word is at least one
    /// byte, so whatever the arch, word offset + count cannot exceed the block's byte size.
    static func readRelocations(_ cursor: inout ByteCursor, textSize: Int, rodataSize: Int) throws(MPYDecodeError) -> [MPYRelocation] {
        var entries: [MPYRelocation] = []
        var next: (base: MPYRelocation.Base, word: Int)?
        while true {
            let start = cursor.offset
            var op = try cursor.byte("relocation op")
            if op == MPY.relocationEnd { return entries }
            let setsAddress = op & 1 != 0
            if setsAddress {
                let address = try cursor.varUInt("relocation address")
                next = (address & 1 == 0 ? .text : .rodata, address >> 1)
            }
            guard let position = next else {
                throw MPYDecodeError(offset: start, problem: .relocationWithoutAddress)
            }
            op >>= 1
            var count = 1
            let target: MPYRelocation.Target
            if op <= 5 {
                if op & 1 != 0 { count = try cursor.varUInt("relocation count") }
                target = [.text, .rodata, .bss][Int(op >> 1)]
            } else if op == 6 {
                target = .qstrTable
            } else if op == 7 {
                target = .objTable
            } else if op == 8 {
                target = .funTable
            } else {
                target = .funTableEntry(Int(op) - 9)
            }
            entries.append(MPYRelocation(
                base: position.base, wordOffset: position.word, target: target, count: count,
                setsAddress: setsAddress, range: start..<cursor.offset))
            let (nextWord, overflow) = position.word.addingReportingOverflow(count)
            guard !overflow else { throw MPYDecodeError(offset: start, problem: .varIntOverflow(expected: "relocation count")) }
            let blockSize = position.base == .text ? textSize : rodataSize
            guard nextWord <= blockSize else {
                throw MPYDecodeError(offset: start, problem: .relocationOutsideBlock(
                    block: position.base == .text ? "text" : "rodata", word: position.word, count: count, size: blockSize))
            }
            next = (position.base, nextWord)
        }
    }
}
