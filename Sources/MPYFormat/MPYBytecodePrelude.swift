/// The prelude at the start of a bytecode function (and inside a native Python function):
/// its signature, the sizes of source info and closure info, and the function's names.
/// All ranges are file offsets.
public struct MPYBytecodePrelude: Equatable, Sendable {
    public var nState: Int
    public var nExcStack: Int
    public var scopeFlags: Int
    public var nPosArgs: Int
    public var nKwonlyArgs: Int
    public var nDefPosArgs: Int
    public var signatureRange: Range<Int>

    /// Bytes of source info: the name varints followed by line-number info.
    public var nInfo: Int
    /// Bytes of closure info: one local number per cell.
    public var nCell: Int
    public var sizeRange: Range<Int>

    /// Qstr-table index of the function's name.
    public var simpleName: Int
    /// Qstr-table indices of positional then keyword-only argument names.
    public var argNames: [Int]
    public var namesRange: Range<Int>
    public var lineInfoRange: Range<Int>
    public var closureInfoRange: Range<Int>
    /// Where the opcodes begin (bytecode only; for native code this is where the prelude ends).
    public var opcodesStart: Int

    /// Decodes the prelude at `cursor`, which must stop at the end of the function data.
    static func decode(_ cursor: inout ByteCursor) throws(MPYDecodeError) -> MPYBytecodePrelude {
        let signatureStart = cursor.offset
        // xSSSSEAA, then xFSSKAED per extension byte, lowest bits first.
        var z = try cursor.byte("prelude signature")
        var s = Int(z >> 3 & 0xF), e = Int(z >> 2 & 1), f = 0, a = Int(z & 3), k = 0, d = 0
        var n = 0
        while z & 0x80 != 0 {
            z = try cursor.byte("prelude signature")
            s |= Int(z & 0x30) << (2 * n)
            e |= Int(z & 0x02) << n
            f |= Int(z >> 6 & 1) << n
            a |= Int(z & 0x04) << n
            k |= Int(z >> 3 & 1) << n
            d |= Int(z & 1) << n
            n += 1
        }
        let signatureEnd = cursor.offset

        // xIIIIIIC per byte, lowest bits first.
        var nInfo = 0, nCell = 0
        n = 0
        repeat {
            z = try cursor.byte("prelude size")
            nInfo |= Int(z >> 1 & 0x3F) << (6 * n)
            nCell |= Int(z & 1) << n
            n += 1
        } while z & 0x80 != 0
        let sizeEnd = cursor.offset

        let declaredInfo = nInfo
        // Enough extension bytes shift bits into the sign bit; such sizes are as bogus as huge ones.
        guard nInfo >= 0, nCell >= 0, nInfo <= cursor.remaining, nCell <= cursor.remaining - nInfo else {
            throw MPYDecodeError(offset: signatureEnd, problem: .countTooLarge(
                expected: "prelude source and closure info size", count: nInfo &+ nCell, available: cursor.remaining))
        }
        let namesStart = cursor.offset
        let simpleName = try cursor.varUInt("function name qstr")
        var argNames: [Int] = []
        let nameCount = a &+ k
        guard nameCount >= 0, nameCount <= cursor.remaining else {
            throw MPYDecodeError(offset: namesStart, problem: .countTooLarge(
                expected: "argument name count", count: nameCount, available: cursor.remaining))
        }
        for _ in 0..<nameCount {
            argNames.append(try cursor.varUInt("argument name qstr"))
        }
        let namesEnd = cursor.offset
        guard namesEnd - namesStart <= declaredInfo else {
            throw MPYDecodeError(offset: namesStart, problem: .sourceInfoOverrun(declared: declaredInfo, needed: namesEnd - namesStart))
        }
        let closureStart = namesStart + nInfo
        let opcodesStart = closureStart + nCell
        try cursor.skip(opcodesStart - cursor.offset, "prelude source and closure info")
        return MPYBytecodePrelude(
            nState: s &+ 1, nExcStack: e, scopeFlags: f, nPosArgs: a, nKwonlyArgs: k, nDefPosArgs: d,
            signatureRange: signatureStart..<signatureEnd, nInfo: nInfo, nCell: nCell, sizeRange: signatureEnd..<sizeEnd,
            simpleName: simpleName, argNames: argNames, namesRange: namesStart..<namesEnd,
            lineInfoRange: namesEnd..<closureStart, closureInfoRange: closureStart..<opcodesStart, opcodesStart: opcodesStart)
    }
}
