/// One decoded bytecode instruction.
public struct MPYInstruction: Equatable, Sendable {
    /// File offset of the opcode byte.
    public var offset: Int
    /// Bytes taken, including argument and extra byte.
    public var size: Int
    public var opcode: UInt8
    public var format: BytecodeArgFormat
    /// The argument: qstr index, varint value (signed for LOAD_CONST_SMALL_INT) or the jump
    /// offset after removing its bias (relative to the end of the offset bytes).
    public var argument: Int?
    /// The byte after the argument of MAKE_CLOSURE(_DEFARGS) and UNWIND_JUMP.
    public var extraByte: UInt8?
    /// For jumps, the file offset the VM jumps to: end of the offset bytes plus `argument`.
    public var jumpTarget: Int?

    public var range: Range<Int> { offset..<offset + size }
}
