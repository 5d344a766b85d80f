/// Everything a native .mpy holds, after linking: the input of NativeModuleWriter.
public struct NativeModuleImage: Sendable {
    public var arch: NativeArch
    public var abi: ABIVersion
    /// Extra arch feature bits (rv32imc extensions); 0 writes no arch-flags field.
    public var archFlags: UInt
    /// The qstr the loader uses as the module's file name (qstr 0).
    public var sourceName: String
    /// The module's own qstrs, in mp_native_qstr_table order starting at index 1.
    public var qstrs: [String]
    public var text: [UInt8]
    /// Rodata loaded separately from text (only where the arch keeps it apart, xtensawin).
    public var rodata: [UInt8]
    public var bssSize: Int
    /// In the order the linker made them; the writer merges runs of consecutive words.
    public var relocations: [NativeRelocation]

    public init(arch: NativeArch, abi: ABIVersion, archFlags: UInt = 0, sourceName: String, qstrs: [String],
                text: [UInt8], rodata: [UInt8] = [], bssSize: Int = 0, relocations: [NativeRelocation]) {
        self.arch = arch
        self.abi = abi
        self.archFlags = archFlags
        self.sourceName = sourceName
        self.qstrs = qstrs
        self.text = text
        self.rodata = rodata
        self.bssSize = bssSize
        self.relocations = relocations
    }
}
