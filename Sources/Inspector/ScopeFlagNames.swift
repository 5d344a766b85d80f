import MPYFormat

/// Names of scope-flag bits (MP_SCOPE_FLAG_* in py/runtime0.h, MicroPython 1.22-1.29).
enum ScopeFlagNames {
    private static let signatureBits: [(Int, String)] = [
        (0x01, "generator"), (0x02, "varkeywords"), (0x04, "varargs"), (0x08, "defkwargs"),
    ]
    /// Meaningful only for viper and asm code loaded from an .mpy file.
    private static let loadBits: [(Int, String)] = [
        (0x10, "viperreloc"), (0x20, "viperrodata"), (0x40, "viperbss"),
    ]

    static func names(_ flags: Int, kind: MPY.CodeKind) -> [String] {
        let table = kind == .nativeViper || kind == .nativeAsm ? signatureBits + loadBits : signatureBits
        var names = table.filter { flags & $0.0 != 0 }.map(\.1)
        let known = table.reduce(0) { $0 | $1.0 }
        if flags & ~known != 0 { names.append("0x" + String(flags & ~known, radix: 16)) }
        return names
    }
}
