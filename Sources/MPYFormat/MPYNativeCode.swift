/// What follows the machine code of a native raw code (native Python, viper or asm).
public struct MPYNativeCode: Equatable, Sendable {
    /// Native Python only: where the bytecode-style prelude sits inside the machine code.
    public var preludeOffset: Int?
    /// Read from the file for viper and asm; taken from the prelude for native Python.
    public var scopeFlags: Int
    /// Asm only.
    public var nPosArgs: Int?
    /// Asm only: the argument and return type signature.
    public var typeSig: Int?

    /// Viper only: read-only data loaded next to the code.
    public var rodataSize: Int?
    public var rodata: [UInt8]
    public var rodataRange: Range<Int>?
    /// Viper only: zeroed memory allocated for the code.
    public var bssSize: Int?

    /// Present when the scope flags ask for relocation (0x10).
    public var relocations: [MPYRelocation]
    /// The relocation stream including its 0xFF end byte.
    public var relocationRange: Range<Int>?
    /// Scope flags and the viper/asm fields after the machine code.
    public var trailerRange: Range<Int>
}
