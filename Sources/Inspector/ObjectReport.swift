/// One constant of the object table.
public struct ObjectReport: Codable, Equatable, Sendable {
    public var index: Int
    /// "str", "bytes", "int", "float", "complex", "tuple", "none", "bool", "ellipsis", "fun_table".
    public var type: String
    /// The value written as Python would.
    public var value: String
    public var offset: Int
}
