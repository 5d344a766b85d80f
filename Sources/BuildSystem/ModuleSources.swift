import Foundation

/// A module's source list is read from its directory and nothing else: a manifest that
/// names `../../etc/passwd` or a file of a kind the build does not know is an error that
/// names the entry, not a build that quietly compiles nothing.
public enum ModuleSources {
    static let kinds = [".c", ".S", ".py", ".h"]

    public static func validate(_ manifest: ModuleManifest, file: String) throws {
        let directory = resolved(manifest.directory)
        let perArch = manifest.arch.values.flatMap(\.sources)
        for source in manifest.sources + perArch {
            guard !source.hasPrefix("/"), !source.split(separator: "/").contains("..") else {
                throw ModuleSourceError.outside(file: file, source: source, directory: manifest.directory)
            }
            // A symlink inside the module may still lead out of it.
            let path = resolved("\(manifest.directory)/\(source)")
            guard path.hasPrefix(directory + "/") else {
                throw ModuleSourceError.outside(file: file, source: source, directory: manifest.directory)
            }
            guard kinds.contains(where: { source.hasSuffix($0) }) else {
                throw ModuleSourceError.unknownKind(file: file, source: source)
            }
        }
    }

    /// The path with symlinks resolved where it exists, as given otherwise.
    private static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return (path as NSString).standardizingPath }
        defer { free(real) }
        return String(cString: real)
    }
}

public enum ModuleSourceError: Error, CustomStringConvertible, Equatable {
    case outside(file: String, source: String, directory: String)
    case unknownKind(file: String, source: String)

    public var description: String {
        switch self {
        case .outside(let file, let source, let directory):
            return "\(file): source '\(source)' is outside the module directory \(directory); sources are paths inside it (copy the file in, or point `include` at a header directory)"
        case .unknownKind(let file, let source):
            return "\(file): source '\(source)' is neither C (.c, .S), a header (.h) nor Python (.py)"
        }
    }
}
