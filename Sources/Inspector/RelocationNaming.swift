import MPYFormat

/// Says in words what a relocated word points at once loaded, from the relocation's target
/// and the word's stored value (the offset the loader adds the target address to).
struct RelocationNaming {
    var abi: ABIVersion
    var wordSize: Int
    var qstrs: [MPYQstr]
    var objects: [MPYObject]
    var text: [UInt8]
    var rodata: [UInt8]

    static func kind(_ target: MPYRelocation.Target) -> String {
        switch target {
        case .text: return "text"
        case .rodata: return "rodata"
        case .bss: return "bss"
        case .qstrTable: return "qstr_table"
        case .objTable: return "obj_table"
        case .funTable: return "fun_table"
        case .funTableEntry: return "fun_table_entry"
        }
    }

    static func base(_ base: MPYRelocation.Base) -> String {
        base == .text ? "text" : "rodata"
    }

    /// The name of what word `index` (counted from the entry's first word) points at.
    func name(_ relocation: MPYRelocation, word index: Int = 0) -> String {
        let addend = storedWord(relocation.base, byteOffset: (relocation.wordOffset + index) * wordSize)
        switch relocation.target {
        case .text: return "text" + plus(addend)
        case .rodata: return "rodata" + plus(addend)
        case .bss: return "bss" + plus(addend)
        case .qstrTable:
            // Entries are 16-bit qstr numbers; a nonzero offset picks one entry.
            guard let addend, addend != 0 else { return "mp_native_qstr_table" }
            let entry = addend / 2
            let text = addend % 2 == 0 && qstrs.indices.contains(entry) ? " " + ObjectDescription.quoted(qstrs[entry].text) : ""
            return "mp_native_qstr_table[\(entry)]" + text
        case .objTable:
            guard let addend, addend != 0 else { return "mp_native_obj_table" }
            let entry = addend / wordSize
            let text = addend % wordSize == 0 && objects.indices.contains(entry)
                ? " " + ObjectDescription.text(objects[entry].value) : ""
            return "mp_native_obj_table[\(entry)]" + text
        case .funTable: return "mp_fun_table"
        case .funTableEntry(let entry):
            let name = FunTableEntryNames.name(ofEntry: entry, abi: abi) ?? "past the end of the table"
            return "mp_fun_table[\(entry)] \(name)" + plus(addend)
        }
    }

    /// The little-endian word at `byteOffset` of a block, nil when it lies outside the block.
    func storedWord(_ base: MPYRelocation.Base, byteOffset: Int) -> Int? {
        let block = base == .text ? text : rodata
        guard byteOffset >= 0, byteOffset <= block.count - wordSize else { return nil }
        var value: UInt64 = 0
        for i in (0..<wordSize).reversed() {
            value = value << 8 | UInt64(block[byteOffset + i])
        }
        return Int(truncatingIfNeeded: value)
    }

    private func plus(_ addend: Int?) -> String {
        guard let addend, addend != 0 else { return "" }
        // magnitude, not -addend: a stored word of 0x8000000000000000 is Int.min, which has no negation.
        return (addend > 0 ? "+0x" : "-0x") + String(addend.magnitude, radix: 16)
    }
}
