/// Everything `mpyforge inspect` shows about one .mpy file; encodes to the JSON schema
/// documented in docs/inspect.md (keys converted to snake_case by the encoder).
public struct InspectionReport: Codable, Equatable, Sendable {
    /// Names the JSON layout; bumped when a field changes meaning or goes away.
    public static let schemaName = "mpyforge-inspect/1"

    public var schema: String = InspectionReport.schemaName
    public var fileSize: Int
    public var header: HeaderReport
    public var qstrs: [QstrReport]
    public var objects: [ObjectReport]
    /// Every raw code in the file, depth first, the module's top level first.
    public var codes: [CodeReport]
    /// Bytes after the last raw code (MicroPython ignores them).
    public var trailingBytes: Int
    /// Things the inspection could not do, e.g. disassemble an arch libopcodes does not know.
    public var notes: [String]
}
