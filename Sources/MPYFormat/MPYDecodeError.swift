/// Why an .mpy file could not be decoded, and the byte offset (from the start of the file)
/// at which decoding stopped.
public struct MPYDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        /// The input ended while `expected` was being read.
        case truncated(expected: String)
        /// The first byte is not "M" (0x4D).
        case badMagic(found: UInt8)
        /// The format version byte is not 6.
        case unsupportedVersion(found: UInt8)
        /// A varint (`expected`) does not fit in a machine word.
        case varIntOverflow(expected: String)
        /// A count or length read from the file (`expected`) is larger than the bytes left.
        case countTooLarge(expected: String, count: Int, available: Int)
        /// A string in the file should end in a zero byte and does not.
        case missingNullTerminator(expected: String, found: UInt8)
        /// A static qstr number outside MicroPython's static qstr list.
        case unknownStaticQstr(number: Int)
        /// An object-table entry starts with a type byte no MicroPython defines.
        case unknownObjectType(found: UInt8)
        /// Tuples or raw codes are nested deeper than the reader follows.
        case nestingTooDeep(limit: Int)
        /// A qstr index (the simple name of a raw code) past the end of the qstr table.
        case qstrIndexOutOfRange(index: Int, count: Int)
        /// The prelude's name list runs past the source-info size the prelude declares.
        case sourceInfoOverrun(declared: Int, needed: Int)
        /// A native relocation entry changes no address and no address was set before it.
        case relocationWithoutAddress
        /// A relocation entry patches words (`word` ..< `word` + `count`) past the end of its
        /// block of `size` bytes.
        case relocationOutsideBlock(block: String, word: Int, count: Int, size: Int)
        /// A jump whose destination is not the start of an opcode of the same function.
        case jumpTargetNotAnOpcode(target: Int)
    }

    /// Offset in the file where decoding failed.
    public let offset: Int
    public let problem: Problem

    public init(offset: Int, problem: Problem) {
        self.offset = offset
        self.problem = problem
    }

    public var description: String {
        let what: String
        switch problem {
        case .truncated(let expected): what = "file ends inside \(expected)"
        case .badMagic(let found): what = "expected magic byte 'M' (0x4d), found 0x\(String(found, radix: 16))"
        case .unsupportedVersion(let found): what = "expected .mpy version 6, found \(found)"
        case .varIntOverflow(let expected): what = "\(expected) does not fit in a machine word"
        case .countTooLarge(let expected, let count, let available):
            what = "\(expected) is \(count) but only \(available) bytes remain"
        case .missingNullTerminator(let expected, let found):
            what = "expected zero byte after \(expected), found 0x\(String(found, radix: 16))"
        case .unknownStaticQstr(let number): what = "unknown static qstr \(number)"
        case .unknownObjectType(let found): what = "unknown constant object type \(found)"
        case .nestingTooDeep(let limit): what = "nesting deeper than \(limit) levels"
        case .qstrIndexOutOfRange(let index, let count): what = "qstr index \(index) outside table of \(count)"
        case .sourceInfoOverrun(let declared, let needed):
            what = "prelude names need \(needed) bytes of source info, prelude declares \(declared)"
        case .relocationWithoutAddress: what = "relocation entry before any relocation address"
        case .relocationOutsideBlock(let block, let word, let count, let size):
            what = "relocation patches \(count) word(s) from word \(word) of \(block), which has only \(size) bytes"
        case .jumpTargetNotAnOpcode(let target): what = "jump to offset \(target), which is not an opcode start"
        }
        return "offset \(offset): \(what)"
    }
}
