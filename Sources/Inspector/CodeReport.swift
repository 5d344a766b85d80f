/// One raw code (function) of the file.
public struct CodeReport: Codable, Equatable, Sendable {
    /// Where it sits in the tree: "0" is the module's top level, "0.2" its third child.
    public var path: String
    public var depth: Int
    /// The function's name from its prelude; nil for viper and asm code, which has none.
    public var name: String?
    /// "bytecode", "native", "viper" or "asm".
    public var kind: String
    /// File offset and size of the whole raw code, children included.
    public var offset: Int
    public var size: Int
    public var childCount: Int
    public var bytecode: BytecodeReport?
    public var native: NativeReport?
}
