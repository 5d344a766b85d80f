/// The bytecode opcodes the merge reads or writes (py/bc0.h, unchanged across .mpy version 6),
/// and the opcode properties that are not given by `BytecodeArgFormat`.
public enum BytecodeOp {
    public static let loadConstNone: UInt8 = 0x51
    public static let loadConstSmallInt: UInt8 = 0x22
    public static let loadConstObj: UInt8 = 0x23
    public static let popTop: UInt8 = 0x59
    public static let returnValue: UInt8 = 0x63
    public static let makeFunction: UInt8 = 0x32
    public static let callFunction: UInt8 = 0x34
    public static let unwindJump: UInt8 = 0x40
    public static let jump: UInt8 = 0x42
    public static let popJumpIfTrue: UInt8 = 0x43
    public static let popJumpIfFalse: UInt8 = 0x44

    /// Jumps whose offset is signed (stored with a bias); all other jumps only go forward.
    public static func hasSignedOffset(_ opcode: UInt8) -> Bool {
        opcode == unwindJump || opcode == jump || opcode == popJumpIfTrue || opcode == popJumpIfFalse
    }

    /// MAKE_CLOSURE(_DEFARGS) and UNWIND_JUMP carry one more byte after their argument; py/bc.h
    /// picks them out with a mask rather than a list.
    public static func hasExtraByte(_ opcode: UInt8) -> Bool {
        opcode & 0x9E == 0
    }
}
