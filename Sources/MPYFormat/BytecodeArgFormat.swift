/// What follows a bytecode opcode byte, which MicroPython derives from the opcode's high nibble.
public enum BytecodeArgFormat: UInt8, Sendable {
    /// No argument.
    case byte = 0
    /// A varint index into the module's qstr table.
    case qstr = 1
    /// A varint (signed for LOAD_CONST_SMALL_INT, unsigned otherwise).
    case varUInt = 2
    /// A jump offset of one or two bytes.
    case offset = 3

    /// py/bc.h packs the formats of the sixteen opcode groups into one 32-bit constant.
    public init(opcode: UInt8) {
        self.init(rawValue: UInt8((0x0000_03A4 as UInt32) >> (2 * UInt32(opcode >> 4)) & 3))!
    }
}
