/// The machine code of a native raw code and what the loader does with it.
public struct NativeReport: Codable, Equatable, Sendable {
    /// File offset of the machine code.
    public var textOffset: Int
    public var textSize: Int
    public var rodataSize: Int?
    public var bssSize: Int?
    public var scopeFlags: Int
    public var scopeFlagNames: [String]
    /// Native Python only: where the prelude sits inside the machine code.
    public var preludeOffset: Int?
    public var relocations: [RelocationReport]
    /// Present when disassembly was asked for.
    public var disassembly: [DisassemblyLine]?
}
