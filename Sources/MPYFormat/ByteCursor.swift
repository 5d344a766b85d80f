/// Bounds-checked reading of an .mpy file from a position that always stays within the input,
/// so every decoding failure becomes an `MPYDecodeError` at a known offset.
struct ByteCursor {
    let bytes: [UInt8]
    private(set) var offset: Int
    /// Reading stops here; lets a cursor walk just one part of the file (a function's body).
    let end: Int

    init(_ bytes: [UInt8], offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { max(0, end - offset) }
    var isAtEnd: Bool { offset >= end }

    mutating func byte(_ expected: String) throws(MPYDecodeError) -> UInt8 {
        guard offset < end else { throw MPYDecodeError(offset: offset, problem: .truncated(expected: expected)) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bytes(_ count: Int, _ expected: String) throws(MPYDecodeError) -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw MPYDecodeError(offset: offset, problem: .countTooLarge(expected: expected, count: count, available: remaining))
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Never moves backwards: a negative count is as invalid as one past the end.
    mutating func skip(_ count: Int, _ expected: String) throws(MPYDecodeError) {
        guard count >= 0, count <= remaining else {
            throw MPYDecodeError(offset: offset, problem: .countTooLarge(expected: expected, count: count, available: remaining))
        }
        offset += count
    }

    /// An unsigned varint that must fit in `Int` (sizes, counts and indices are used as `Int`).
    mutating func varUInt(_ expected: String) throws(MPYDecodeError) -> Int {
        let start = offset
        var value = 0
        while true {
            let byte = try self.byte(expected)
            guard value <= Int.max >> 7 else {
                throw MPYDecodeError(offset: start, problem: .varIntOverflow(expected: expected))
            }
            value = value << 7 | Int(byte & 0x7F)
            if byte & 0x80 == 0 { return value }
        }
    }

    /// A count of entries that each take at least one byte: larger counts cannot be genuine,
    /// and rejecting them early keeps a hostile count from driving a long loop.
    mutating func count(_ expected: String) throws(MPYDecodeError) -> Int {
        let start = offset
        let value = try varUInt(expected)
        guard value <= remaining else {
            throw MPYDecodeError(offset: start, problem: .countTooLarge(expected: expected, count: value, available: remaining))
        }
        return value
    }
}
