import Foundation

/// Diagnostics go to standard error, results to standard output.
enum Output {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("mpyforge: error: \(message)\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("mpyforge: note: \(message)\n".utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("mpyforge: warning: \(message)\n".utf8))
    }

    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}
