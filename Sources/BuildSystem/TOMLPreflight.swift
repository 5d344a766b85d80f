/// Refuses, before TOMLKit sees it, input that trips an internal assumption of the toml++
/// parser inside TOMLKit 0.6.0: a table header whose first key does not start with a key
/// character (`[.x]`, `[ =]`). toml++ asserts there, which aborts a debug build and is
/// undefined behaviour in a release build (the assertion becomes an optimiser assumption).
/// Found by the manifest fuzz target (Fuzz/corpus/manifest/regression-*).
enum TOMLPreflight {
    static func check(_ text: String, file: String) throws {
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
}
