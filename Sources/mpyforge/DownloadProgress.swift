import Foundation
import ToolchainInstaller

/// Shows a toolchain download. On a terminal: one bar redrawn in place (percent, megabytes,
/// speed). Elsewhere (CI, pipes): a plain line at every tenth of the way. Goes to standard
/// error, so standard output holds only results.
final class DownloadProgress {
    private let live = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    private var started = Date()
    private var lastDraw = Date.distantPast
    private var lastTenth = -1
    private var drawn = false

    func show(_ event: InstallEvent) {
        switch event {
        case .downloading(let url, let size):
            started = Date()
            lastTenth = -1
            line("downloading \(url)" + (size.map { " (\(Self.megabytes($0)))" } ?? ""))
        case .received(let bytes, let size):
            received(bytes, of: size)
        case .retrying(let attempt, let attempts, let delay, let reason):
            line("interrupted (\(reason)); attempt \(attempt) of \(attempts) in \(Int(delay)) s")
        case .unpacking(let archive):
            line("checked SHA-256; unpacking \(archive)")
        }
    }

    /// Clears the bar before the result is printed.
    func end() {
        if drawn { write("\r\u{1B}[K") }
        drawn = false
    }

    private func received(_ bytes: Int64, of size: Int64?) {
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        let speed = "\(Self.megabytes(Int64(Double(bytes) / seconds)))/s"
        if live {
            // Redrawing more than ten times a second only costs time.
            guard Date().timeIntervalSince(lastDraw) >= 0.1 || bytes == size else { return }
            lastDraw = Date()
            if let size, size > 0 {
                let fraction = min(1, Double(bytes) / Double(size))
                let filled = Int(fraction * 30)
                let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled)
                write("\r\u{1B}[K[\(bar)] \(Int(fraction * 100))%  \(Self.megabytes(bytes)) of \(Self.megabytes(size))  \(speed)")
            } else {
                write("\r\u{1B}[K\(Self.megabytes(bytes))  \(speed)")
            }
            drawn = true
        } else if let size, size > 0 {
            let tenth = Int(Double(bytes) / Double(size) * 10)
            guard tenth > lastTenth else { return }
            lastTenth = tenth
            write("  \(tenth * 10)%  \(Self.megabytes(bytes)) of \(Self.megabytes(size))  \(speed)\n")
        }
    }

    private func line(_ text: String) {
        end()
        write(text + "\n")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
