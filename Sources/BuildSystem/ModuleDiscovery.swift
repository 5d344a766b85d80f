import Foundation

/// Finds modules: a directory with module.toml is one module; a directory without one is
/// searched one level down (CModules/ holds one module per subdirectory).
public enum ModuleDiscovery {
    public static func modules(in directory: String) throws -> [ModuleManifest] {
        let path = (directory as NSString).standardizingPath
        if let manifest = try manifest(at: path) { return [manifest] }
        let children = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        let found = try children.compactMap { try manifest(at: "\(path)/\($0)") }
        guard !found.isEmpty else { throw ManifestError.notAModule(directory: path) }
        return found
    }

    static func manifest(at directory: String) throws -> ModuleManifest? {
        let file = "\(directory)/\(ManifestParser.fileName)"
        if let data = FileManager.default.contents(atPath: file) {
            return try ManifestParser.parse(String(decoding: data, as: UTF8.self), directory: directory, file: file)
        }
        let makefile = "\(directory)/Makefile"
        if let data = FileManager.default.contents(atPath: makefile),
           let manifest = NatmodMakefile.manifest(String(decoding: data, as: UTF8.self), directory: directory) {
            return manifest
        }
        return nil
    }
}

/// An upstream-style natmod Makefile (MOD = name, SRC = files, include dynruntime.mk) read
/// for its variables, without running make.
enum NatmodMakefile {
    static func manifest(_ text: String, directory: String) -> ModuleManifest? {
        guard text.contains("dynruntime.mk") else { return nil }
        var variables: [String: [String]] = [:]
        // Joins backslash-continued lines first.
        let joined = text.replacingOccurrences(of: "\\\n", with: " ")
        for line in joined.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#") else { continue }
            for op in ["+=", "?=", ":=", "="] {
                guard let range = trimmed.range(of: op) else { continue }
                let name = trimmed[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                guard ["MOD", "SRC", "CFLAGS_EXTRA", "CFLAGS"].contains(name) else { break }
                let words = trimmed[range.upperBound...].split(separator: " ").map(String.init)
                variables[name] = (op == "+=" ? variables[name] ?? [] : []) + words
                break
            }
        }
        guard let name = variables["MOD"]?.first, let sources = variables["SRC"], !sources.isEmpty else { return nil }
        let flags = (variables["CFLAGS_EXTRA"] ?? []) + (variables["CFLAGS"] ?? [])
        return ModuleManifest(name: name, directory: directory, sources: sources, includes: [],
                              defines: flags.filter { $0.hasPrefix("-D") }.map { String($0.dropFirst(2)) },
                              cflags: flags.filter { !$0.hasPrefix("-D") }, variants: [], archCFlags: [:])
    }
}
