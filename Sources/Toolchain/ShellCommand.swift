/// A command line as a user pastes it into sh: printed in "rerun:" hints. Unquoted, the SDK
/// flag -DMP_CONFIGFILE=<path> reads to the shell as two redirections, and pasting it once
/// created an empty file named "-DMPYFORGE_ABI_SUBVERSION=3" in a module directory.
public enum ShellCommand {
    public static func line(_ words: [String], in directory: String? = nil) -> String {
        let command = words.map(quote).joined(separator: " ")
        return directory.map { "cd \(quote($0)) && \(command)" } ?? command
    }

    /// Words made only of characters sh never interprets stay as they are; anything else is
    /// single-quoted, with embedded single quotes closed, escaped and reopened.
    public static func quote(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./=+,:@%".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
