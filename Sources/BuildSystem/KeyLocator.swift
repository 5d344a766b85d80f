import Foundation

/// Finds the line a key is written on, for error messages: TOMLKit reports lines for syntax
/// errors only. A light scan of the text: table headers ([a.b]) set the current table, and
/// `key =` / `"key" =` / `a.b.key =` lines name keys under it.
struct KeyLocator {
    private var lines: [[String]: Int] = [:]

    init(text: String) {
        var table: [String] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                let inner = line.drop { $0 == "[" }.prefix { $0 != "]" }
                table = KeyLocator.keyPath(String(inner))
                record(table, index + 1)
                continue
            }
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            record(table + KeyLocator.keyPath(String(line[..<equals])), index + 1)
        }
    }

    private mutating func record(_ path: [String], _ line: Int) {
        guard !path.isEmpty else { return }
        // Every prefix too: [arch.armv6m] is where the key "arch.armv6m" is defined.
        for length in 1...path.count where lines[Array(path.prefix(length))] == nil {
            lines[Array(path.prefix(length))] = line
        }
    }

    static func keyPath(_ text: String) -> [String] {
        text.split(separator: ".").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
    }

    func line(of path: [String]) -> Int? { lines[path] }
}
