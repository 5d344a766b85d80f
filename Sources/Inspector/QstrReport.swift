/// One qstr-table entry.
public struct QstrReport: Codable, Equatable, Sendable {
    public var index: Int
    public var text: String
    /// MicroPython's static qstr number when the file refers to one instead of spelling it out.
    public var staticNumber: Int?
    /// File offset of the entry.
    public var offset: Int
}
