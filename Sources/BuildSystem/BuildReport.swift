import Foundation

/// The machine-readable account of a build (`mpyforge build --json`). Keys are stable:
/// scripts and CI read them.
public enum BuildReport {
    public static func json(_ reports: [JobReport], seconds: Double) -> String {
        var counts = ["built": 0, "cached": 0, "failed": 0, "skipped": 0]
        let jobs: [[String: Any]] = reports.map { report in
            var entry: [String: Any] = [
                "module": report.job.module.name, "output": report.job.output.name,
                "arch": report.job.arch.rawValue, "abi": report.job.abi.description,
                "seconds": (report.seconds * 1000).rounded() / 1000,
            ]
            switch report.status {
            case .built(let module):
                entry["status"] = module.cached ? "cached" : "built"
                entry["size"] = module.size
                entry["path"] = module.path
                entry["warnings"] = module.warnings
            case .failed(let message):
                entry["status"] = "failed"
                entry["error"] = message
            case .skipped(let reason):
                entry["status"] = "skipped"
                entry["error"] = reason
            }
            counts[entry["status"] as! String, default: 0] += 1
            return entry
        }
        let document: [String: Any] = [
            "mpyforge": MPYForgeVersion.current, "seconds": (seconds * 1000).rounded() / 1000,
            "summary": counts, "jobs": jobs,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
