/// Refuses, before TOMLKit sees it, input that trips an internal assumption of the toml++
/// parser inside TOMLKit 0.6.0. toml++ asserts there, which aborts a debug build and is
/// undefined behaviour in a release build (the assertion becomes an optimiser assumption):
/// - a table header whose first key does not start with a key character (`[.x]`, `[ =]`);
/// - a `}` where a list expects a value (`cflags = [}]`).
/// Both are invalid TOML, so nothing valid is refused. Found by the manifest fuzz target
/// (Fuzz/corpus/manifest/regression-*).
enum TOMLPreflight {
    static func check(_ text: String, file: String) throws {
        try checkHeaders(text, file: file)
        try checkListElements(text, file: file)
    }

    static func checkHeaders(_ text: String, file: String) throws {
        var inMultiLineString = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // A line inside a """...""" or '''...''' string is text, not a header.
            let delimiters = raw.components(separatedBy: "\"\"\"").count - 1 + raw.components(separatedBy: "'''").count - 1
            let startedInside = inMultiLineString
            if delimiters % 2 == 1 { inMultiLineString.toggle() }
            if startedInside { continue }
            var rest = raw.drop { $0 == " " || $0 == "\t" }
            guard rest.first == "[" else { continue }
            rest = rest.dropFirst()
            if rest.first == "[" { rest = rest.dropFirst() }
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard let first = rest.unicodeScalars.first else {
                throw ManifestError.syntax(file: file, line: index + 1, detail: "a table header needs a name: [name]")
            }
            let keyStart = (first.isASCII && (first.properties.isAlphabetic || ("0"..."9").contains(first)))
                || "_-\"']".unicodeScalars.contains(first)
            guard keyStart else {
                throw ManifestError.syntax(file: file, line: index + 1,
                                           detail: "a table header starts with a name (letters, digits, _ or -, or a quoted name), not '\(first.escaped(asASCII: true))'")
            }
        }
    }

    /// Follows brackets outside strings and comments: `[` opens a list where a value is
    /// expected (after `=`, or inside a list or inline table), `{` an inline table.
    static func checkListElements(_ text: String, file: String) throws {
        let chars = Array(text.unicodeScalars)
        var stack: [Unicode.Scalar] = []
        var afterEquals = false
        var line = 1
        var i = 0
        func starts(_ token: String, at index: Int) -> Bool {
            let scalars = Array(token.unicodeScalars)
            return index + scalars.count <= chars.count && Array(chars[index..<index + scalars.count]) == scalars
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                line += 1
                if stack.isEmpty { afterEquals = false }
                i += 1
                continue
            }
            if c == "#" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "\"" || c == "'" {
                // Skip a string: basic strings have escapes, literal ones none; both may be triple.
                let triple = starts(c == "\"" ? "\"\"\"" : "'''", at: i)
                let quote = String(repeating: String(c), count: triple ? 3 : 1)
                i += triple ? 3 : 1
                while i < chars.count, !starts(quote, at: i) {
                    if chars[i] == "\n" {
                        if !triple { break }
                        line += 1
                    }
                    if c == "\"", chars[i] == "\\" { i += 1 }
                    i += 1
                }
                i += triple ? 3 : 1
                continue
            }
            if stack.isEmpty {
                if c == "=" { afterEquals = true }
                if afterEquals, c == "[" || c == "{" { stack.append(c) }
            } else if c == "[" || c == "{" {
                stack.append(c)
            } else if c == "]", stack.last == "[" {
                stack.removeLast()
            } else if c == "}" {
                if stack.last == "[" {
                    throw ManifestError.syntax(file: file, line: line, detail: "expected a value or ] in the list, saw }")
                }
                if stack.last == "{" { stack.removeLast() }
            }
            if stack.isEmpty, c == "]" || c == "}" { afterEquals = false }
            i += 1
        }
    }
}
