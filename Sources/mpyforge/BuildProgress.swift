import BuildSystem
import Foundation

/// Renders build reports: one line per finished job, then a summary.
enum BuildProgress {
    static let lock = NSLock()

    static func line(_ report: JobReport, done: Int, total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let prefix = "[\(done)/\(total)] \(report.job.label)"
        switch report.status {
        case .built(let module):
            emit("\(prefix): \(module.size) bytes (\(String(format: "%.2f", report.seconds)) s)")
            for warning in module.warnings { Output.warning("\(report.job.label): \(warning)") }
        case .failed(let message):
            emit("\(prefix): FAILED")
            Output.error(message)
        case .skipped:
            emit("\(prefix): skipped (no compiler)")
        }
    }

    /// Unbuffered, so progress shows as it happens even when stdout is a pipe.
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func summary(_ reports: [JobReport]) {
        let built = reports.filter { if case .built = $0.status { return true } else { return false } }.count
        let failed = reports.filter { if case .failed = $0.status { return true } else { return false } }.count
        var skippedArches: [String: String] = [:]
        for report in reports {
            if case .skipped(let why) = report.status { skippedArches[report.job.arch.rawValue] = why }
        }
        print("built \(built), failed \(failed), skipped \(reports.count - built - failed)")
        for (arch, why) in skippedArches.sorted(by: { $0.key < $1.key }) {
            print("skipped \(arch): \(why)")
        }
    }
}
