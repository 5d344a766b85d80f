import MPYFormat

/// Names of the arch-flag bits of an .mpy header. Only rv32imc defines any (RV32_EXT_* in
/// py/asmrv32.h, MicroPython 1.25-1.29): the RISC-V extensions the code uses beyond RV32IMC.
public enum ArchFlagNames {
    static let rv32Extensions: [(Int, String)] = [(0x1, "zba"), (0x2, "zcmp")]

    public static func names(_ flags: Int, archCode: UInt8) -> [String] {
        let table = archCode == NativeArch.rv32imc.code ? rv32Extensions : []
        var names = table.filter { flags & $0.0 != 0 }.map(\.1)
        var rest = flags & ~table.reduce(0) { $0 | $1.0 }
        var bit = 0
        while rest != 0 {
            if rest & 1 != 0 { names.append("bit \(bit)") }
            rest >>= 1
            bit += 1
        }
        return names
    }
}
