/// Encodes a linked native module as an .mpy file (version 6): header, qstr table, one
/// native viper raw code holding the machine code, its rodata/bss sizes and the relocation
/// stream. The byte layout is what MicroPython's loader (py/persistentcode.c) reads and what
/// upstream tools/mpy_ld.py writes, so equal inputs give identical files.
public enum NativeModuleWriter {
    public static func encode(_ image: NativeModuleImage) -> [UInt8] {
        var out: [UInt8] = []
        var feature = image.arch.code << 2 | image.abi.subVersion
        if image.archFlags != 0 { feature |= MPY.archFlagsPresent }
        out += [MPY.magic, image.abi.version, feature, MPY.smallIntBits]
        if image.archFlags != 0 { out += VarInt.encode(image.archFlags) }

        out += VarInt.encode(1 + image.qstrs.count)
        out += VarInt.encode(0)  // no constant objects
        out += QstrEncoding.encode(image.sourceName)
        for qstr in image.qstrs { out += QstrEncoding.encode(qstr) }

        let kindBits = UInt(MPY.CodeKind.nativeViper.rawValue - MPY.CodeKind.bytecode.rawValue)
        out += VarInt.encode(UInt(image.text.count) << 3 | kindBits)
        out += image.text

        var scopeFlags = MPY.ScopeFlag.viperRelocations
        if !image.rodata.isEmpty { scopeFlags |= MPY.ScopeFlag.viperRodata }
        if image.bssSize > 0 { scopeFlags |= MPY.ScopeFlag.viperBSS }
        out += VarInt.encode(scopeFlags)
        if !image.rodata.isEmpty { out += VarInt.encode(image.rodata.count) }
        if image.bssSize > 0 { out += VarInt.encode(image.bssSize) }
        out += image.rodata

        out += RelocationStream.encode(image.relocations, wordSize: image.arch.wordSize)
        return out
    }
}

/// How a qstr is spelled in an .mpy qstr table: a static qstr by its number, others inline.
public enum QstrEncoding {
    public static func encode(_ text: String) -> [UInt8] {
        if let number = StaticQstrs.numberByText[text] {
            return VarInt.encode(UInt(number) << 1 | 1)
        }
        let bytes = Array(text.utf8)
        return VarInt.encode(UInt(bytes.count) << 1) + bytes + [0]
    }
}
