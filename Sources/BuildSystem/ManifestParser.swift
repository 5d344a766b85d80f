import Foundation
import MPYFormat

/// Reads `module.toml`: the small TOML subset a module needs — comments, `key = "string"`,
/// `key = ["list", "of", "strings"]` (one line or several), and `[table]` / `[table.sub]` headers.
public enum ManifestParser {
    public static let fileName = "module.toml"

    public static func parse(_ text: String, directory: String, file: String) throws -> ModuleManifest {
        let tables = try readTables(text, file: file)
        let top = tables[""] ?? [:]
        func strings(_ table: [String: Value], _ key: String, _ where_: String) throws -> [String] {
            switch table[key] {
            case nil: return []
            case .list(let values)?: return values
            case .string?: throw ManifestError.wrongType(file: file, key: "\(where_)\(key)", expected: "a list of strings")
            }
        }
        guard case .string(let name)? = top["name"] else { throw ManifestError.missingName(file: file) }
        guard isIdentifier(name) else { throw ManifestError.badName(file: file, name: name) }
        var manifest = ModuleManifest(
            name: name, directory: directory,
            sources: try strings(top, "sources", ""), includes: try strings(top, "include", ""),
            defines: try strings(top, "defines", ""), cflags: try strings(top, "cflags", ""),
            variants: [], archCFlags: [:])
        guard !manifest.sources.isEmpty else { throw ManifestError.noSources(file: file) }
        switch top["externs"] {
        case .string(let path)?: manifest.externs = path
        case .list?: throw ManifestError.wrongType(file: file, key: "externs", expected: "a string (a linker script path)")
        case nil: break
        }
        for (tableName, table) in tables.sorted(by: { $0.key < $1.key }) where !tableName.isEmpty {
            let parts = tableName.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ManifestError.unknownTable(file: file, table: tableName) }
            switch parts[0] {
            case "variants":
                var variantName = "\(name)_\(parts[1])"
                if case .string(let explicit)? = table["name"] { variantName = explicit }
                guard isIdentifier(variantName) else { throw ManifestError.badName(file: file, name: variantName) }
                manifest.variants.append(.init(name: variantName, defines: try strings(table, "defines", "\(tableName).")))
            case "arch":
                guard let arch = NativeArch(rawValue: parts[1]) else {
                    throw ManifestError.unknownArch(file: file, arch: parts[1])
                }
                manifest.archCFlags[arch] = try strings(table, "cflags", "\(tableName).")
            default:
                throw ManifestError.unknownTable(file: file, table: tableName)
            }
        }
        return manifest
    }

    enum Value: Equatable { case string(String), list([String]) }

    private static func readTables(_ text: String, file: String) throws -> [String: [String: Value]] {
        var tables: [String: [String: Value]] = ["": [:]]
        var current = ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        var lineNumber = 0
        while let raw = lines.popFirst() {
            lineNumber += 1
            var line = stripComment(raw).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw ManifestError.syntax(file: file, line: lineNumber, detail: "a table header looks like [name]")
                }
                current = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard tables[current] == nil else {
                    throw ManifestError.syntax(file: file, line: lineNumber, detail: "table [\(current)] appears twice")
                }
                tables[current] = [:]
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ManifestError.syntax(file: file, line: lineNumber, detail: "expected key = value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard isIdentifier(key) else {
                throw ManifestError.syntax(file: file, line: lineNumber, detail: "'\(key)' is not a valid key")
            }
            // A list may continue over several lines until its closing bracket.
            while line.hasSuffix("[") || (line.contains("[") && !line.contains("]")) {
                guard let next = lines.popFirst() else {
                    throw ManifestError.syntax(file: file, line: lineNumber, detail: "list is not closed with ]")
                }
                lineNumber += 1
                line += " " + stripComment(next).trimmingCharacters(in: .whitespaces)
            }
            let valueText = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard tables[current]![key] == nil else {
                throw ManifestError.syntax(file: file, line: lineNumber, detail: "key '\(key)' appears twice")
            }
            tables[current]![key] = try parseValue(valueText, file: file, line: lineNumber)
        }
        return tables
    }

    private static func parseValue(_ text: String, file: String, line: Int) throws -> Value {
        var scanner = Substring(text)
        if scanner.hasPrefix("[") {
            scanner = scanner.dropFirst()
            var items: [String] = []
            while true {
                scanner = scanner.drop(while: { $0 == " " || $0 == "\t" })
                if scanner.hasPrefix("]") { scanner = scanner.dropFirst(); break }
                items.append(try parseString(&scanner, file: file, line: line))
                scanner = scanner.drop(while: { $0 == " " || $0 == "\t" })
                if scanner.hasPrefix(",") { scanner = scanner.dropFirst(); continue }
                guard scanner.hasPrefix("]") else {
                    throw ManifestError.syntax(file: file, line: line, detail: "expected , or ] in list")
                }
            }
            guard scanner.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ManifestError.syntax(file: file, line: line, detail: "unexpected text after list")
            }
            return .list(items)
        }
        let value = try parseString(&scanner, file: file, line: line)
        guard scanner.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ManifestError.syntax(file: file, line: line, detail: "unexpected text after string")
        }
        return .string(value)
    }

    /// A double-quoted string with \" \\ \n \t escapes.
    private static func parseString(_ scanner: inout Substring, file: String, line: Int) throws -> String {
        guard scanner.hasPrefix("\"") else {
            throw ManifestError.syntax(file: file, line: line, detail: "values are \"quoted strings\" or [lists of them]")
        }
        scanner = scanner.dropFirst()
        var result = ""
        while let c = scanner.first {
            scanner = scanner.dropFirst()
            switch c {
            case "\"": return result
            case "\\":
                guard let escaped = scanner.first else { break }
                scanner = scanner.dropFirst()
                switch escaped {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\"", "\\": result.append(escaped)
                default: throw ManifestError.syntax(file: file, line: line, detail: "unknown escape \\\(escaped)")
                }
            default: result.append(c)
            }
        }
        throw ManifestError.syntax(file: file, line: line, detail: "string is not closed with \"")
    }

    /// Drops a # comment that is not inside a string.
    private static func stripComment(_ line: String) -> String {
        var inString = false, escaped = false
        for (i, c) in line.enumerated() {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true } else if c == "\"" { inString.toggle() } else if c == "#" && !inString {
                return String(line.prefix(i))
            }
        }
        return line
    }

    static func isIdentifier(_ text: String) -> Bool { PythonIdentifier.isModuleName(text) }
}

public enum ManifestError: Error, CustomStringConvertible, Equatable {
    case syntax(file: String, line: Int, detail: String)
    case missingName(file: String)
    case badName(file: String, name: String)
    case noSources(file: String)
    case wrongType(file: String, key: String, expected: String)
    case unknownTable(file: String, table: String)
    case unknownArch(file: String, arch: String)
    case notAModule(directory: String)

    public var description: String {
        switch self {
        case .syntax(let file, let line, let detail): return "\(file):\(line): \(detail)"
        case .missingName(let file): return "\(file): needs name = \"module_name\" (a Python identifier, not a keyword, at most \(PythonIdentifier.maximumModuleNameLength) characters)"
        case .badName(let file, let name):
            return "\(file): '\(name)' is not a valid module name: \(PythonIdentifier.moduleNameProblem(name) ?? "")"
        case .noSources(let file): return "\(file): needs sources = [\"file.c\", ...]"
        case .wrongType(let file, let key, let expected): return "\(file): '\(key)' must be \(expected)"
        case .unknownTable(let file, let table): return "\(file): unknown table [\(table)] (known: [variants.NAME], [arch.ARCH])"
        case .unknownArch(let file, let arch):
            return "\(file): unknown arch '\(arch)' (known: \(NativeArch.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .notAModule(let directory): return "\(directory): no module.toml or natmod Makefile here"
        }
    }
}
