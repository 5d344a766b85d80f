/// Re-encodes a bytecode raw-code tree so its qstr and constant-object indices point into a
/// bigger, merged table: object indices grow by the size of the tables placed before them, qstr
/// indices go where the merge put each qstr (after the tables in front, or onto an equal entry).
///
/// Output matches `mpy-tool.py --merge` byte for byte: the prelude signature and closure info
/// are kept, the source info is reduced to the (shifted) names — line-number info is dropped —
/// and the opcodes are laid out again with the same pass structure upstream uses, because a
/// longer index can push a jump offset from one byte to two and so move every later opcode.
enum BytecodeRewriter {
    static func rewrite(_ code: MPYRawCode, qstrs: QstrIndexMap, objectBase: Int) throws(BytecodeRewriteError) -> [UInt8] {
        guard code.kind == .bytecode, let prelude = code.prelude else {
            throw .notBytecode(kind: code.kind, offset: code.range.lowerBound)
        }
        let base = code.funDataRange.lowerBound
        var sourceInfo: [UInt8] = []
        for name in [prelude.simpleName] + prelude.argNames {
            sourceInfo += VarInt.encode(try qstrs(name, at: prelude.namesRange.lowerBound))
        }
        let signature = code.funData[0..<prelude.signatureRange.upperBound - base]
        let closureInfo = code.funData[prelude.closureInfoRange.lowerBound - base..<prelude.closureInfoRange.upperBound - base]
        let opcodes = try relayout(code.instructions, opcodesStart: prelude.opcodesStart, functionOffset: code.range.lowerBound,
                                   qstrs: qstrs, objectBase: objectBase)

        var funData = Array(signature)
        funData += preludeSize(info: sourceInfo.count, cells: closureInfo.count)
        funData += sourceInfo
        funData += closureInfo
        funData += opcodes

        // The has-children bit follows the actual child count, not the input's flag.
        var output = VarInt.encode(funData.count << 3 | (code.children.isEmpty ? 0 : 4))
        output += funData
        if !code.children.isEmpty {
            output += VarInt.encode(code.children.count)
            for child in code.children {
                output += try rewrite(child, qstrs: qstrs, objectBase: objectBase)
            }
        }
        return output
    }

    /// One opcode while it is being laid out; `offset` counts from the first opcode.
    private struct Slot {
        var offset: Int
        let opcode: UInt8
        let format: BytecodeArgFormat
        var argument: Int?
        let extraByte: UInt8?
        var targetIndex: Int?
        let originalOffset: Int
    }

    private static func relayout(
        _ instructions: [MPYInstruction], opcodesStart: Int, functionOffset: Int, qstrs: QstrIndexMap, objectBase: Int
    ) throws(BytecodeRewriteError) -> [UInt8] {
        var indexByOffset: [Int: Int] = [:]
        for (index, instruction) in instructions.enumerated() { indexByOffset[instruction.offset] = index }

        var slots: [Slot] = []
        var jumpCount = 0
        for instruction in instructions {
            var argument = instruction.argument
            var targetIndex: Int?
            if let target = instruction.jumpTarget {
                guard let index = indexByOffset[target] else {
                    throw .jumpTargetNotAnOpcode(offset: instruction.offset, target: target)
                }
                targetIndex = index
                jumpCount += 1
            } else if instruction.format == .qstr, let value = argument {
                argument = try qstrs(value, at: instruction.offset)
            } else if instruction.opcode == BytecodeOp.loadConstObj, let value = argument {
                argument = try shifted(value, by: objectBase, at: instruction.offset)
            }
            slots.append(Slot(offset: instruction.offset - opcodesStart, opcode: instruction.opcode, format: instruction.format,
                              argument: argument, extraByte: instruction.extraByte, targetIndex: targetIndex,
                              originalOffset: instruction.offset))
        }

        // Upstream's loop: each pass places every opcode at the end of the output so far and
        // encodes jumps from the targets' current offsets (already moved for earlier opcodes,
        // not yet for later ones); it stops after a pass that moved nothing. Following the
        // same passes reaches the same fixed point. Upstream has no bound; a layout that has
        // not settled after more passes than there are jumps is treated as an error.
        let passLimit = jumpCount + 8
        var passes = 0
        while true {
            passes += 1
            guard passes <= passLimit else { throw .layoutDidNotSettle(offset: functionOffset) }
            var moved = false
            var overflowAt: Int?
            var output: [UInt8] = []
            for index in slots.indices {
                if slots[index].offset != output.count {
                    moved = true
                    slots[index].offset = output.count
                }
                let slot = slots[index]
                output.append(slot.opcode)
                switch slot.format {
                case .byte:
                    break
                case .qstr, .varUInt:
                    let value = slot.argument ?? 0
                    output += slot.opcode == BytecodeOp.loadConstSmallInt ? signedVarInt(value) : VarInt.encode(value)
                case .offset:
                    let target = slots[slot.targetIndex ?? index].offset
                    if !appendJump(&output, opcode: slot.opcode, distance: target - slot.offset - 2) {
                        overflowAt = overflowAt ?? slot.originalOffset
                    }
                }
                if let extra = slot.extraByte { output.append(extra) }
            }
            if !moved {
                if let overflowAt { throw .jumpOverflow(offset: overflowAt) }
                return output
            }
        }
    }

    /// Appends a jump offset, `distance` counted from the end of a one-byte offset field;
    /// returns false when it does not fit.
    private static func appendJump(_ output: inout [UInt8], opcode: UInt8, distance: Int) -> Bool {
        let signed = BytecodeOp.hasSignedOffset(opcode)
        if signed ? (-64...63).contains(distance) : distance <= 127 {
            let field = distance + (signed ? 0x40 : 0)
            output.append(UInt8(truncatingIfNeeded: field & 0x7F))
            return (0...0x7F).contains(field)
        }
        // The two-byte field ends one byte later, so the stored distance is one less.
        let field = distance - 1 + (signed ? 0x4000 : 0)
        output.append(0x80 | UInt8(truncatingIfNeeded: field & 0x7F))
        output.append(UInt8(truncatingIfNeeded: field >> 7 & 0xFF))
        return (0...0x7FFF).contains(field)
    }

    /// LOAD_CONST_SMALL_INT's argument: big-endian 7-bit groups of the two's complement value,
    /// with one more group when bit 6 of the first would give the wrong sign.
    static func signedVarInt(_ value: Int) -> [UInt8] {
        var groups: [UInt8] = [UInt8(truncatingIfNeeded: value & 0x7F)]
        var rest = value >> 7
        while rest != 0 && rest != -1 {
            groups.append(0x80 | UInt8(truncatingIfNeeded: rest & 0x7F))
            rest >>= 7
        }
        let first = groups[groups.count - 1]
        if rest == -1 && first & 0x40 == 0 {
            groups.append(0xFF)
        } else if rest == 0 && first & 0x40 != 0 {
            groups.append(0x80)
        }
        return groups.reversed()
    }

    /// Prelude size: n_info and n_cells interleaved as xIIIIIIC per byte, lowest bits first.
    static func preludeSize(info: Int, cells: Int) -> [UInt8] {
        var info = info, cells = cells
        var output: [UInt8] = []
        repeat {
            var byte = UInt8((info & 0x3F) << 1 | (cells & 1))
            info >>= 6
            cells >>= 1
            if info | cells != 0 { byte |= 0x80 }
            output.append(byte)
        } while info | cells != 0
        return output
    }

    private static func shifted(_ index: Int, by base: Int, at offset: Int) throws(BytecodeRewriteError) -> Int {
        let (sum, overflow) = index.addingReportingOverflow(base)
        guard !overflow else { throw .indexOverflow(offset: offset) }
        return sum
    }
}
