import Foundation
import MPYFormat
import Subprocess
import Toolchain

/// Runs GNU make on a natmod Makefile for one target of ours and reads back the KEY=value
/// lines that target writes (see CModules/sdk/py/dynruntime.mk).
struct MakeRunner: Sendable {
    let make: String
    let directory: String
    let makefile: String
    let scratch: String
    /// Seconds one make run may take: a Makefile can loop ($(shell sleep ...), recursive eval).
    let timeout: Double

    static func locate() throws -> String {
        guard let make = PathSearch.find("make") else { throw MakefileError.makeMissing }
        return make
    }

    /// Returns the recorded values, or nil when make succeeded without reaching the target's
    /// recipe (the target is not defined: the Makefile never included our file).
    func describe(target: String, arch: NativeArch, arguments: [String]) throws -> [String: String]? {
        let out = "\(scratch)/describe-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let all = ["--no-print-directory", "-f", makefile] + arguments + ["MPYFORGE_DESCRIBE=\(out)", target]
        let result = try ProcessRunner.run(make, all, in: directory, timeout: timeout)
        if result.timedOut {
            throw MakefileError.makeTimedOut(makefile: "\(directory)/Makefile", arch: arch, seconds: timeout)
        }
        if result.status != 0 {
            if result.stderr.contains("No rule to make target '\(target)'") { return nil }
            let command = "cd \(directory) && make \(all.filter { !$0.hasPrefix("MPYFORGE_DESCRIBE=") }.joined(separator: " "))"
            throw MakefileError.makeFailed(makefile: "\(directory)/Makefile", arch: arch, command: command,
                                           output: result.stderr)
        }
        guard let data = FileManager.default.contents(atPath: out) else { return nil }
        var values: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }
}
