/// Refuses, before TOMLKit sees it, input that trips an internal assumption of the toml++
/// parser inside TOMLKit 0.6.0. toml++ asserts there, which aborts a debug build and is
/// undefined behaviour in a release build (the assertion becomes an optimiser assumption):
/// - a table header whose first key does not start with a key character (`[.x]`, `[ =]`);
/// - a `}` where a list expects a value (`cflags = [}]`).
/// Both are invalid TOML, so nothing valid is refused. One pass over the text that skips
/// strings (all four kinds) and comments as TOML does. Found by the manifest fuzz target
/// (Fuzz/corpus/manifest/regression-*).
enum TOMLPreflight {
    static func check(_ text: String, file: String) throws {
        var scanner = Scanner(chars: Array(text.unicodeScalars))
        try scanner.run(file: file)
    }

    struct Scanner {
        let chars: [Unicode.Scalar]
        var i = 0
        var line = 1
        /// Open lists ([) and inline tables ({) of the value being read.
        var stack: [Unicode.Scalar] = []
        /// A value is expected or being read on this line (after `=`).
        var afterEquals = false
        /// Only blanks since the line began.
        var atLineStart = true

        init(chars: [Unicode.Scalar]) { self.chars = chars }

        func starts(_ token: String, at index: Int) -> Bool {
            let scalars = Array(token.unicodeScalars)
            return index + scalars.count <= chars.count && Array(chars[index..<index + scalars.count]) == scalars
        }

        mutating func run(file: String) throws {
            while i < chars.count {
                let c = chars[i]
                switch c {
                case "\n":
                    line += 1
                    if stack.isEmpty { afterEquals = false }
                    atLineStart = true
                    i += 1
                case "\r":
                    // Part of a \r\n line break; on its own toml++ refuses it.
                    i += 1
                case _ where Scanner.isBlank(c):
                    i += 1
                case "#":
                    while i < chars.count, chars[i] != "\n" { i += 1 }
                case "\"", "'":
                    skipString(quote: c)
                    atLineStart = false
                default:
                    if c == "[", stack.isEmpty, !afterEquals, atLineStart { try checkHeader(file: file) }
                    try bracket(c, file: file)
                    atLineStart = false
                    i += 1
                }
            }
        }

        /// A table header: after `[` or `[[` and blanks comes a key (bare or quoted).
        func checkHeader(file: String) throws {
            var j = i + 1
            if j < chars.count, chars[j] == "[" { j += 1 }
            while j < chars.count, Scanner.isBlank(chars[j]) { j += 1 }
            guard j < chars.count, chars[j] != "\n" else {
                throw ManifestError.syntax(file: file, line: line, detail: "a table header needs a name: [name]")
            }
            let first = chars[j]
            let keyStart = (first.isASCII && (first.properties.isAlphabetic || ("0"..."9").contains(first)))
                || "_-\"']".unicodeScalars.contains(first)
            guard keyStart else {
                throw ManifestError.syntax(file: file, line: line,
                                           detail: "a table header starts with a name (letters, digits, _ or -, or a quoted name), not '\(first.escaped(asASCII: true))'")
            }
        }

        mutating func bracket(_ c: Unicode.Scalar, file: String) throws {
            if stack.isEmpty {
                if c == "=" { afterEquals = true }
                if afterEquals, c == "[" || c == "{" { stack.append(c) }
                return
            }
            switch c {
            case "[", "{": stack.append(c)
            case "]": if stack.last == "[" { stack.removeLast() }
            case "}":
                if stack.last == "[" {
                    throw ManifestError.syntax(file: file, line: line, detail: "expected a value or ] in the list, saw }")
                }
                if stack.last == "{" { stack.removeLast() }
            default: break
            }
            if stack.isEmpty { afterEquals = false }
        }

        /// What toml++ skips as whitespace within a line: blanks, and (to be refused later) the
        /// byte-order mark and other Unicode spaces. A header after them is still a header.
        static func isBlank(_ c: Unicode.Scalar) -> Bool {
            if c == " " || c == "\t" { return true }
            return !c.isASCII && c != "\u{2028}" && c != "\u{2029}" && c != "\u{85}"
                && (c.properties.isWhitespace || c == "\u{FEFF}" || c == "\u{180E}" || c == "\u{200B}")
        }

        /// Basic strings have escapes, literal ones none; both may be triple-quoted (multi-line).
        mutating func skipString(quote: Unicode.Scalar) {
            let triple = starts(String(repeating: String(quote), count: 3), at: i)
            let closing = String(repeating: String(quote), count: triple ? 3 : 1)
            i += triple ? 3 : 1
            while i < chars.count, !starts(closing, at: i) {
                if chars[i] == "\n" {
                    if !triple { return }
                    line += 1
                }
                if quote == "\"", chars[i] == "\\" { i += 1 }
                i += 1
            }
            i += triple ? 3 : 1
        }
    }
}
