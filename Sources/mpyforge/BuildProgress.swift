import BuildSystem
import Foundation

/// Shows a build as it happens. On a terminal: finished jobs scroll by above one status line
/// (done/total, jobs running, failures) that is redrawn in place. Elsewhere (CI, pipes): one
/// plain line per finished job. With --json, progress goes to standard error.
final class BuildProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let live: Bool
    private let stream: FileHandle
    private var running: [String] = []
    private var failures = 0
    private var done = 0
    private var total = 0

    init(json: Bool) {
        stream = json ? FileHandle.standardError : FileHandle.standardOutput
        live = isatty(json ? STDERR_FILENO : STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    func started(_ job: BuildJob) {
        lock.lock()
        defer { lock.unlock() }
        running.append(job.label)
        redrawStatus()
    }

    func finished(_ report: JobReport, done: Int, total: Int) {
        lock.lock()
        defer { lock.unlock() }
        self.done = done
        self.total = total
        running.removeAll { $0 == report.job.label }
        let prefix = "[\(done)/\(total)] \(report.job.label)"
        switch report.status {
        case .built(let module):
            let what = module.cached ? "up to date" : "\(module.size) bytes"
            emit("\(prefix): \(what) (\(String(format: "%.2f", report.seconds)) s)")
            for warning in module.warnings { emit("  warning: \(warning)") }
        case .failed(let message):
            failures += 1
            emit("\(prefix): FAILED\n" + message.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }.joined(separator: "\n"))
        case .skipped:
            emit("\(prefix): skipped (no compiler)")
        }
        redrawStatus()
    }

    /// Clears the status line before the summary.
    func end() {
        lock.lock()
        defer { lock.unlock() }
        if live { write("\r\u{1B}[K") }
    }

    private func emit(_ line: String) {
        write((live ? "\r\u{1B}[K" : "") + line + "\n")
    }

    private func redrawStatus() {
        guard live else { return }
        let now = running.prefix(3).joined(separator: ", ") + (running.count > 3 ? ", ..." : "")
        let failed = failures > 0 ? " | \(failures) failed" : ""
        write("\r\u{1B}[K[\(done)/\(total)] building: \(now)\(failed)")
    }

    private func write(_ text: String) {
        stream.write(Data(text.utf8))
    }

    static func summary(_ reports: [JobReport], to stream: FileHandle) {
        func count(_ test: (JobReport.Status) -> Bool) -> Int { reports.filter { test($0.status) }.count }
        let built = count { if case .built(let m) = $0 { return !m.cached } else { return false } }
        let cached = count { if case .built(let m) = $0 { return m.cached } else { return false } }
        let failed = count { if case .failed = $0 { return true } else { return false } }
        var lines = ["built \(built), up to date \(cached), failed \(failed), skipped \(reports.count - built - cached - failed)"]
        var skipped: [String: String] = [:]
        for report in reports { if case .skipped(let why) = report.status { skipped[report.job.arch.rawValue] = why } }
        for (arch, why) in skipped.sorted(by: { $0.key < $1.key }) { lines.append("skipped \(arch): \(why)") }
        lines += SummaryTable.render(reports)
        stream.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

/// The module x arch table at the end of a build: the size of each .mpy, or what went wrong.
enum SummaryTable {
    static func render(_ reports: [JobReport]) -> [String] {
        let columns = Array(Set(reports.map { "\($0.job.arch.rawValue)_\($0.job.abi)" })).sorted()
        let rows = Array(Set(reports.map { $0.job.output.name })).sorted()
        guard !rows.isEmpty, reports.contains(where: { if case .skipped = $0.status { return false } else { return true } }) else { return [] }
        var cells: [String: String] = [:]
        for report in reports {
            let key = "\(report.job.output.name)|\(report.job.arch.rawValue)_\(report.job.abi)"
            switch report.status {
            case .built(let module): cells[key] = "\(module.size)"
            case .failed: cells[key] = "FAILED"
            case .skipped: cells[key] = "-"
            }
        }
        let nameWidth = max(6, rows.map(\.count).max() ?? 0)
        let widths = columns.map { max($0.count, 6) }
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        var lines = [pad("module", nameWidth) + "  " + zip(columns, widths).map { pad($0, $1) }.joined(separator: "  ")]
        for row in rows {
            lines.append(pad(row, nameWidth) + "  " + zip(columns, widths).map { pad(cells["\(row)|\($0)"] ?? "", $1) }.joined(separator: "  "))
        }
        return lines
    }
}
