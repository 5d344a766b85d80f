/// Module names become import names, qstrs and file names (name.mpy, name.config.h and
/// their temporaries), so they are held to what all of those accept.
public enum PythonIdentifier {
    /// Long enough for any real module; short enough that every file name derived from it
    /// stays far below NAME_MAX (255 bytes) and the qstr below MicroPython's 255-byte limit.
    public static let maximumModuleNameLength = 64

    /// Python's reserved words: `import class` is a syntax error, so no module may be named so.
    public static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
        "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    /// Why `name` cannot be a module name, or nil when it can.
    public static func moduleNameProblem(_ name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return "the name is empty" }
        let isWord: (Unicode.Scalar) -> Bool = {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
        guard name.unicodeScalars.allSatisfy(isWord), !("0"..."9").contains(first) else {
            return "use ASCII letters, digits and _, not starting with a digit"
        }
        guard name.utf8.count <= maximumModuleNameLength else {
            return "it is \(name.utf8.count) characters; at most \(maximumModuleNameLength)"
        }
        guard !keywords.contains(name) else { return "'\(name)' is a Python keyword, so `import \(name)` cannot work" }
        return nil
    }

    public static func isModuleName(_ name: String) -> Bool { moduleNameProblem(name) == nil }
}
