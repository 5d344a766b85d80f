/// One line of disassembled native code: an instruction, or a relocated data word.
public struct DisassemblyLine: Codable, Equatable, Sendable {
    /// Offset into the machine code.
    public var offset: Int
    /// The bytes in hex, as stored.
    public var bytes: String
    public var text: String
    /// What relocated words this line is, or refers to, point at.
    public var notes: [String]
}
