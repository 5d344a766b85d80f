/// One constant of an .mpy object table, with the bytes it occupies.
public struct MPYObject: Equatable, Sendable {
    public indirect enum Value: Equatable, Sendable {
        /// A reference to `mp_fun_table` (native modules use it to reach the runtime).
        case funTable
        case none
        case bool(Bool)
        case ellipsis
        case str(String)
        case bytes([UInt8])
        /// Decimal text, kept as text because it may not fit any fixed-width integer.
        case int(String)
        /// The float's text as written by mpy-cross (repr with enough digits).
        case float(String)
        /// The complex number's text, e.g. "1.5j".
        case complex(String)
        case tuple([MPYObject])
    }

    public var value: Value
    /// The entry from its type byte to its last byte (the zero byte for str and bytes).
    public var range: Range<Int>
}
