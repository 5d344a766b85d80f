/// The unsigned variable-length integer of the .mpy format: 7 bits a byte, most significant
/// group first, the top bit set on every byte but the last.
public enum VarInt {
    public static func encode(_ value: UInt) -> [UInt8] {
        var groups: [UInt8] = [UInt8(value & 0x7F)]
        var rest = value >> 7
        while rest != 0 {
            groups.append(0x80 | UInt8(rest & 0x7F))
            rest >>= 7
        }
        return groups.reversed()
    }

    public static func encode(_ value: Int) -> [UInt8] {
        precondition(value >= 0, "the .mpy varint is unsigned")
        return encode(UInt(value))
    }

    /// Decodes at `offset`, advancing it; nil when the bytes run out or the value overflows.
    public static func decode(_ bytes: [UInt8], at offset: inout Int) -> UInt? {
        var value: UInt = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            guard value >> (UInt.bitWidth - 7) == 0 else { return nil }
            value = value << 7 | UInt(byte & 0x7F)
            if byte & 0x80 == 0 { return value }
        }
        return nil
    }
}
