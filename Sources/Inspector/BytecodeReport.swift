/// The prelude and size of a bytecode function.
public struct BytecodeReport: Codable, Equatable, Sendable {
    public var positionalArgs: Int
    public var keywordOnlyArgs: Int
    public var defaultArgs: Int
    public var argNames: [String]
    public var stateSize: Int
    public var exceptionStackSize: Int
    public var scopeFlags: Int
    public var scopeFlagNames: [String]
    /// Bytes of opcodes after the prelude.
    public var opcodeBytes: Int
    public var instructionCount: Int
}
