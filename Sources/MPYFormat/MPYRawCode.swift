/// One function of an .mpy file (the module's top level is one too) and its nested functions.
public struct MPYRawCode: Equatable, Sendable {
    public var kind: MPY.CodeKind
    /// Everything that belongs to this raw code, children and relocations included.
    public var range: Range<Int>
    /// The kind/length varint.
    public var headerRange: Range<Int>
    public var funDataRange: Range<Int>
    public var funData: [UInt8]
    /// Bytecode and native Python; for native Python its ranges point into the machine code.
    public var prelude: MPYBytecodePrelude?
    /// Bytecode only.
    public var instructions: [MPYInstruction]
    /// Native kinds only.
    public var native: MPYNativeCode?
    /// Whether the kind/length varint says a child count follows (it may still be zero).
    public var hasChildrenFlag: Bool
    public var children: [MPYRawCode]
}
