/// The .mpy header in words: format, ABI, architecture and flags.
public struct HeaderReport: Codable, Equatable, Sendable {
    public var version: Int
    public var subVersion: Int
    /// "6.3": version and sub-version.
    public var abi: String
    public var featureByte: Int
    /// MicroPython's arch code; 0 when the file holds no native code.
    public var archCode: Int
    /// Our name for the arch ("x64", "armv7emsp"), nil for bytecode-only files and unknown codes.
    public var arch: String?
    /// A phrase for people: the arch name or what the code means.
    public var archDescription: String
    /// The arch-flags varint, when the header has one.
    public var archFlags: Int?
    /// Names of the set arch flags (RISC-V extensions).
    public var archFlagNames: [String]
    public var smallIntBits: Int
    /// "native" when the file holds machine code, else "bytecode".
    public var content: String
    /// Which MicroPython releases load the file.
    public var loadsOn: String
}
