import MPYFormat

/// Why a `--target` value was not understood.
public enum LoadTargetError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedTarget(String)
    case unknownArch(String)
    case malformedABI(String)

    public var description: String {
        let arches = NativeArch.allCases.map(\.rawValue).joined(separator: ", ")
        switch self {
        case .malformedTarget(let text): return "target '\(text)' is not <arch>_<abi>, e.g. x64_6.3"
        case .unknownArch(let name): return "unknown arch '\(name)'; known: \(arches)"
        case .malformedABI(let text): return "abi '\(text)' is not <version>.<sub-version>, e.g. 6.3"
        }
    }
}
