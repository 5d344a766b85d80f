/// Little-endian reads and writes into linked images; every target mpyforge links for is
/// little-endian. Callers check bounds first (the relocation pass does, once per relocation).
extension Array where Element == UInt8 {
    func readLE(_ offset: Int, size: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in (0..<size).reversed() { value = value << 8 | UInt64(self[offset + i]) }
        return value
    }

    mutating func writeLE(_ offset: Int, size: Int, _ value: UInt64) {
        for i in 0..<size { self[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }

    func readU16(_ offset: Int) -> UInt16 { UInt16(readLE(offset, size: 2)) }
    func readU32(_ offset: Int) -> UInt32 { UInt32(readLE(offset, size: 4)) }
    mutating func writeU16(_ offset: Int, _ value: UInt16) { writeLE(offset, size: 2, UInt64(value)) }
    mutating func writeU32(_ offset: Int, _ value: UInt32) { writeLE(offset, size: 4, UInt64(value)) }
}

func alignUp(_ value: Int, _ alignment: Int) -> Int {
    alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment
}

func fitsSigned(_ value: Int64, bits: Int) -> Bool {
    let shifted = value >> Int64(bits)
    return shifted == 0 || shifted == -1
}
