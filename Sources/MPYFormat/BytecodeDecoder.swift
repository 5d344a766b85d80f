/// Splits a function's opcode bytes into instructions.
enum BytecodeDecoder {
    /// Decodes `bytes[start..<end]`; offsets in the result are indices into `bytes`.
    static func decode(_ bytes: [UInt8], from start: Int, to end: Int) throws(MPYDecodeError) -> [MPYInstruction] {
        var cursor = ByteCursor(bytes, offset: start, end: end)
        var instructions: [MPYInstruction] = []
        while !cursor.isAtEnd {
            instructions.append(try decodeOne(&cursor))
        }
        return instructions
    }

    static func decodeOne(_ cursor: inout ByteCursor) throws(MPYDecodeError) -> MPYInstruction {
        let start = cursor.offset
        let opcode = try cursor.byte("opcode")
        let format = BytecodeArgFormat(opcode: opcode)
        var argument: Int?
        var jumpTarget: Int?
        switch format {
        case .byte:
            break
        case .qstr, .varUInt:
            argument = try varArgument(&cursor, signed: opcode == BytecodeOp.loadConstSmallInt)
        case .offset:
            let first = try cursor.byte("jump offset")
            let signed = BytecodeOp.hasSignedOffset(opcode)
            var value: Int
            if first & 0x80 == 0 {
                value = Int(first) - (signed ? 0x40 : 0)
            } else {
                let second = try cursor.byte("jump offset")
                value = (Int(first & 0x7F) | Int(second) << 7) - (signed ? 0x4000 : 0)
            }
            argument = value
            // The VM adds the offset right after reading it, before UNWIND_JUMP's extra byte.
            jumpTarget = cursor.offset + value
        }
        let extraByte = BytecodeOp.hasExtraByte(opcode) ? try cursor.byte("extra opcode byte") : nil
        return MPYInstruction(
            offset: start, size: cursor.offset - start, opcode: opcode, format: format,
            argument: argument, extraByte: extraByte, jumpTarget: jumpTarget)
    }

    /// The varint argument; LOAD_CONST_SMALL_INT sign-extends from bit 6 of its first byte.
    private static func varArgument(_ cursor: inout ByteCursor, signed: Bool) throws(MPYDecodeError) -> Int {
        let start = cursor.offset
        var byte = try cursor.byte("opcode argument")
        var value = Int(byte & 0x7F)
        if signed && byte & 0x40 != 0 { value -= 0x80 }
        while byte & 0x80 != 0 {
            byte = try cursor.byte("opcode argument")
            guard value <= Int.max >> 7, value >= Int.min >> 7 else {
                throw MPYDecodeError(offset: start, problem: .varIntOverflow(expected: "opcode argument"))
            }
            value = value << 7 | Int(byte & 0x7F)
        }
        return value
    }
}
