/// One entry of an .mpy qstr table: either a static qstr (a number into MicroPython's static
/// list, which we resolve to its text) or a string spelled out in the file.
public struct MPYQstr: Equatable, Sendable {
    public var text: String
    /// The 1-based static qstr number when the file refers to a static qstr.
    public var staticNumber: Int?
    /// The whole entry: its length varint, the text and the zero byte.
    public var range: Range<Int>

    public var isStatic: Bool { staticNumber != nil }
}
