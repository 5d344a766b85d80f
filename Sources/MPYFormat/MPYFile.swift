/// A decoded .mpy file. Every part keeps the file offsets it was read from.
public struct MPYFile: Equatable, Sendable {
    public var header: MPYHeader
    /// The qstr and object counts after the header.
    public var countsRange: Range<Int>
    public var qstrs: [MPYQstr]
    public var qstrTableRange: Range<Int>
    public var objects: [MPYObject]
    public var objectTableRange: Range<Int>
    /// The module's top-level code.
    public var rawCode: MPYRawCode
    /// Bytes after the raw code tree; MicroPython never reads them.
    public var trailingRange: Range<Int>

    /// The source file name the compiler recorded (qstr 0), when there is one.
    public var sourceName: String? { qstrs.first?.text }
}
