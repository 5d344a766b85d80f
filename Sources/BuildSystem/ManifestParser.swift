import Foundation
import MPYFormat
import TOMLKit
import Toolchain

/// Reads `module.toml` with a real TOML parser (TOMLKit) and checks it against the schema
/// in `ManifestSchema`: every key known, every value of its type. docs/module-toml.md
/// documents each key.
public enum ManifestParser {
    public static let fileName = "module.toml"

    public static func parse(_ text: String, directory: String, file: String) throws -> ModuleManifest {
        try TOMLPreflight.check(text, file: file)
        let root: TOMLTable
        do { root = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw ManifestError.syntax(file: file, line: error.source.begin.line, detail: error.description)
        }
        let reader = ManifestReader(file: file, locator: KeyLocator(text: text))
        try reader.checkKeys(root, path: [], known: ManifestSchema.topKeys)

        guard let name = try reader.string(root, "name", path: []), isIdentifier(name) else {
            let given = root["name"]?.string
            throw given.map { ManifestError.badName(file: file, name: $0) } ?? ManifestError.missingName(file: file)
        }
        var manifest = ModuleManifest(
            name: name, directory: directory,
            sources: try reader.strings(root, "sources", path: []), includes: try reader.strings(root, "include", path: []),
            defines: try reader.strings(root, "defines", path: []), cflags: try reader.strings(root, "cflags", path: []))
        manifest.file = file
        guard !manifest.sources.isEmpty else { throw ManifestError.noSources(file: file) }
        manifest.externs = try reader.string(root, "externs", path: [])
        manifest.libraries = try reader.strings(root, "libraries", path: [])

        if let variants = try reader.table(root, "variants", path: []) {
            for key in variants.keys.sorted() {
                guard let table = try reader.table(variants, key, path: ["variants"]) else { continue }
                let path = ["variants", key]
                try reader.checkKeys(table, path: path, known: ManifestSchema.variantKeys)
                let variantName = try reader.string(table, "name", path: path) ?? "\(name)_\(key)"
                guard isIdentifier(variantName) else { throw ManifestError.badName(file: file, name: variantName) }
                manifest.variants.append(.init(name: variantName, defines: try reader.strings(table, "defines", path: path)))
            }
        }
        if let arches = try reader.table(root, "arch", path: []) {
            for key in arches.keys.sorted() {
                guard let arch = NativeArch(rawValue: key) else {
                    throw ManifestError.unknownArch(file: file, line: reader.locator.line(of: ["arch", key]), arch: key,
                                                    suggestion: Suggestion.closest(to: key, in: NativeArch.allCases.map(\.rawValue)))
                }
                guard let table = try reader.table(arches, key, path: ["arch"]) else { continue }
                let path = ["arch", key]
                try reader.checkKeys(table, path: path, known: ManifestSchema.archKeys)
                manifest.arch[arch] = .init(sources: try reader.strings(table, "sources", path: path),
                                            defines: try reader.strings(table, "defines", path: path),
                                            cflags: try reader.strings(table, "cflags", path: path),
                                            floatImplementation: try reader.float(table, path: path, arch: arch))
            }
        }
        if root["float"]?.bool == true {
            // On: every arch without a float type of its own gets single precision.
            for arch in NativeArch.allCases where ArchProfile.profile(for: arch).floatImplementation == .none
                && manifest.arch[arch]?.floatImplementation == nil {
                manifest.arch[arch, default: .init()].floatImplementation = .float
            }
        } else {
            manifest.floatImplementation = try reader.float(root, path: [], arch: nil)
        }
        return manifest
    }

    /// A module name: a Python identifier that is not a keyword, short enough for every tool.
    public static func isIdentifier(_ text: String) -> Bool { PythonIdentifier.isModuleName(text) }
}

/// Typed access to a parsed table, with errors that name the file, the line and the key.
struct ManifestReader {
    let file: String
    let locator: KeyLocator

    func checkKeys(_ table: TOMLTable, path: [String], known: [String]) throws {
        for key in table.keys.sorted() where !known.contains(key) {
            throw ManifestError.unknownKey(file: file, line: locator.line(of: path + [key]), key: (path + [key]).joined(separator: "."),
                                           suggestion: Suggestion.closest(to: key, in: known), known: known)
        }
    }

    func wrongType(_ path: [String], _ key: String, _ expected: String, _ value: TOMLValueConvertible) -> ManifestError {
        .wrongType(file: file, line: locator.line(of: path + [key]), key: (path + [key]).joined(separator: "."),
                   expected: expected, found: value.type.description)
    }

    func string(_ table: TOMLTable, _ key: String, path: [String]) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else { throw wrongType(path, key, "a string", value) }
        return text
    }

    func strings(_ table: TOMLTable, _ key: String, path: [String]) throws -> [String] {
        guard let value = table[key] else { return [] }
        guard let array = value.array else { throw wrongType(path, key, "a list of strings", value) }
        return try array.map { item in
            guard let text = item.string else { throw wrongType(path, key, "a list of strings", item) }
            return text
        }
    }

    func table(_ table: TOMLTable, _ key: String, path: [String]) throws -> TOMLTable? {
        guard let value = table[key] else { return nil }
        guard let inner = value.table else { throw wrongType(path, key, "a table", value) }
        return inner
    }

    /// `float = false` (no float), `true` (the arch's float type, or single precision where
    /// the arch has none), or "none" / "float" / "double".
    func float(_ table: TOMLTable, path: [String], arch: NativeArch?) throws -> ArchProfile.FloatImplementation? {
        guard let value = table["float"] else { return nil }
        if let on = value.bool {
            guard on else { return ArchProfile.FloatImplementation.none }
            guard let arch else { return nil }
            let own = ArchProfile.profile(for: arch).floatImplementation
            return own == .none ? .float : own
        }
        if let text = value.string, let implementation = ArchProfile.FloatImplementation(rawValue: text.uppercased()) {
            return implementation
        }
        throw wrongType(path, "float", "true, false, \"none\", \"float\" or \"double\"", value)
    }
}
