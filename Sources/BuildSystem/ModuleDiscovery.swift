import Foundation

/// Finds modules: a directory with module.toml is one module; a directory without one is
/// searched one level down (CModules/ holds one module per subdirectory).
public enum ModuleDiscovery {
    public static func modules(in directory: String) throws -> [ModuleManifest] {
        let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        let path = (absolute as NSString).standardizingPath
        if let manifest = try manifest(at: path) { return [manifest] }
        let children = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        let found = try children.compactMap { try manifest(at: "\(path)/\($0)") }
        guard !found.isEmpty else { throw ManifestError.notAModule(directory: path) }
        return found
    }

    static func manifest(at directory: String) throws -> ModuleManifest? {
        let file = "\(directory)/\(ManifestParser.fileName)"
        if let data = FileManager.default.contents(atPath: file) {
            let manifest = try ManifestParser.parse(String(decoding: data, as: UTF8.self), directory: directory, file: file)
            try ModuleSources.validate(manifest, file: file)
            return manifest
        }
        let makefile = "\(directory)/Makefile"
        if let data = FileManager.default.contents(atPath: makefile),
           let manifest = NatmodMakefile.manifest(String(decoding: data, as: UTF8.self), directory: directory) {
            try ModuleSources.validate(manifest, file: makefile)
            return manifest
        }
        return nil
    }
}

/// An upstream-style natmod Makefile (MOD = name, SRC = files, include dynruntime.mk) read
/// for its variables, without running make. `$(VAR)` references to variables set in the file
/// are expanded; MicroPython's examples name the module `$(MOD_BASE)_$(ARCH)`, and since
/// mpyforge already sorts outputs by arch, the `_$(ARCH)` suffix is dropped.
enum NatmodMakefile {
    static func manifest(_ text: String, directory: String) -> ModuleManifest? {
        guard text.contains("dynruntime.mk") else { return nil }
        var variables: [String: [String]] = [:]
        // Backslash-continued lines are one line; conditional blocks are read as written.
        let joined = text.replacingOccurrences(of: "\\\n", with: " ")
        for line in joined.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), !trimmed.hasPrefix("include") else { continue }
            for op in ["+=", "?=", ":=", "="] {
                guard let range = trimmed.range(of: op) else { continue }
                let name = trimmed[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { break }
                var value = String(trimmed[range.upperBound...])
                if name == "MOD" { value = value.replacingOccurrences(of: "_$(ARCH)", with: "") }
                let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                variables[name] = (op == "+=" ? variables[name] ?? [] : []) + words
                break
            }
        }
        func expand(_ words: [String], depth: Int = 0) -> [String] {
            words.flatMap { word -> [String] in
                guard depth < 8, word.hasPrefix("$("), word.hasSuffix(")") else { return [word] }
                return expand(variables[String(word.dropFirst(2).dropLast())] ?? [], depth: depth + 1)
            }
        }
        guard let name = expand(variables["MOD"] ?? []).first, let sources = variables["SRC"].map({ expand($0) }),
              !sources.isEmpty else { return nil }
        let flags = expand((variables["CFLAGS_EXTRA"] ?? []) + (variables["CFLAGS"] ?? []))
        return ModuleManifest(name: name, directory: directory, sources: sources, includes: [],
                              defines: flags.filter { $0.hasPrefix("-D") }.map { String($0.dropFirst(2)) },
                              cflags: flags.filter { !$0.hasPrefix("-D") }, variants: [], archCFlags: [:])
    }
}
