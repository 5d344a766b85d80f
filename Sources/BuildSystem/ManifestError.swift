import MPYFormat

/// Why a module.toml (or a set of modules) cannot be built. Messages start with file:line
/// where the line is known, and end with the fix.
public enum ManifestError: Error, CustomStringConvertible, Equatable {
    case syntax(file: String, line: Int, detail: String)
    case missingName(file: String)
    case badName(file: String, name: String)
    case noSources(file: String)
    case wrongType(file: String, line: Int?, key: String, expected: String, found: String)
    case unknownKey(file: String, line: Int?, key: String, suggestion: String?, known: [String])
    case unknownArch(file: String, line: Int?, arch: String, suggestion: String?)
    case notAModule(directory: String)
    case notADirectory(path: String)
    case duplicateName(name: String, first: String, second: String)
    case variantNamedLikeBase(file: String, name: String)

    static func place(_ file: String, _ line: Int?) -> String { line.map { "\(file):\($0)" } ?? file }

    public var description: String {
        switch self {
        case .syntax(let file, let line, let detail): return "\(file):\(line): \(detail)"
        case .missingName(let file): return "\(file): needs name = \"module_name\" (a Python identifier, not a keyword, at most \(PythonIdentifier.maximumModuleNameLength) characters)"
        case .badName(let file, let name):
            return "\(file): '\(name)' is not a valid module name: \(PythonIdentifier.moduleNameProblem(name) ?? "")"
        case .noSources(let file): return "\(file): needs sources = [\"file.c\", ...]"
        case .wrongType(let file, let line, let key, let expected, let found):
            return "\(ManifestError.place(file, line)): '\(key)' must be \(expected), not a \(found)"
        case .unknownKey(let file, let line, let key, let suggestion, let known):
            let hint = suggestion.map { "did you mean '\($0)'?" } ?? "known here: \(known.joined(separator: ", "))"
            return "\(ManifestError.place(file, line)): unknown key '\(key)': \(hint) (docs/module-toml.md)"
        case .unknownArch(let file, let line, let arch, let suggestion):
            let hint = suggestion.map { "did you mean '\($0)'?" } ?? "known: \(NativeArchNames.all)"
            return "\(ManifestError.place(file, line)): unknown arch '\(arch)' in [arch.\(arch)]: \(hint)"
        case .notAModule(let directory): return "\(directory): no module.toml or natmod Makefile here (mpyforge new NAME makes one)"
        case .notADirectory(let path): return "\(path): no such directory"
        case .duplicateName(let name, let first, let second):
            return "two modules are named '\(name)': \(first) and \(second); module names must be unique in one build (they name the .mpy file)"
        case .variantNamedLikeBase(let file, let name):
            return "\(file): a variant is named '\(name)', like the module itself; give it its own name"
        }
    }
}

enum NativeArchNames {
    static var all: String { NativeArch.allCases.map(\.rawValue).joined(separator: ", ") }
}
