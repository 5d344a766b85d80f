/// One instruction (or one undecodable byte run) of disassembled machine code.
public struct DisassembledInstruction: Equatable, Sendable {
    /// Offset from the start of the machine code.
    public var offset: Int
    public var bytes: [UInt8]
    /// libopcodes' text, e.g. "mov    0x10(%rip),%rax        # 0x20".
    public var text: String
    /// Addresses (offsets into the machine code) the instruction refers to: branch targets,
    /// literal-pool and pc-relative loads, as libopcodes computed them.
    public var referencedAddresses: [Int]

    public var range: Range<Int> { offset..<offset + bytes.count }
}
