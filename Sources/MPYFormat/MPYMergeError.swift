/// Why a set of .mpy files could not be merged into one. `file` is the name the caller gave.
public enum MPYMergeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing to merge.
    case noInputs
    /// The file does not start like an .mpy file (too short, or no "M" magic byte).
    case notAnMPY(file: String, MPYDecodeError)
    /// The file is an .mpy of another format version than 6.
    case incompatibleVersion(file: String, found: UInt8)
    /// The file holds native code for an ABI sub-version mpyforge does not merge (6.2 and 6.3 only).
    case incompatibleSubVersion(file: String, found: UInt8)
    /// The file holds native code for another architecture than an earlier input.
    case archMismatch(file: String, expected: UInt8, found: UInt8)
    /// Two inputs hold native code; a merged file can carry only one native qstr/object table layout.
    case moreThanOneNative(first: String, second: String)
    /// The file is damaged past its header.
    case malformed(file: String, MPYDecodeError)
    /// The file's source name (qstr 0) is missing or not printable ASCII; upstream refuses these.
    case badModuleName(file: String)
    /// The file's code could not be rewritten for its place in the merged tables.
    case cannotRewrite(file: String, BytecodeRewriteError)

    public var description: String {
        switch self {
        case .noInputs: return "no .mpy files to merge"
        case .notAnMPY(let file, let error): return "'\(file)' is not an .mpy file (\(error))"
        case .incompatibleVersion(let file, let found): return "'\(file)' is .mpy version \(found), expected 6"
        case .incompatibleSubVersion(let file, let found): return "'\(file)' has native code for .mpy sub-version \(found)"
        case .archMismatch(let file, let expected, let found):
            return "'\(file)' is native code for '\(NativeArch.describe(code: found))', "
                + "earlier inputs are for '\(NativeArch.describe(code: expected))'"
        case .moreThanOneNative(let first, let second):
            return "'\(first)' and '\(second)' both contain native code; only one native input can be merged"
        case .malformed(let file, let error): return "'\(file)' is damaged: \(error)"
        case .badModuleName(let file): return "'\(file)' has no printable ascii source name"
        case .cannotRewrite(let file, let error): return "cannot merge '\(file)': \(error)"
        }
    }
}
