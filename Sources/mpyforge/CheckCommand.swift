import ArgumentParser
import Foundation
import Inspector
import MPYFormat

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Say whether a firmware loads an .mpy file, and if not, why and what to do.",
        discussion: """
              mpyforge check dist/x64_6.3/foo.mpy --target armv7emsp_6.3
              mpyforge check foo.mpy --device /dev/ttyACM0    asks the board

            --device reads sys.implementation._mpy through mpremote. Exits 0 when
            the file loads, 1 when it does not, 2 when the question could not be
            answered.
            """)

    @Argument(help: "The .mpy file.") var file: String
    @Option(help: ArgumentHelp("The firmware to check against, as a dist directory name.", valueName: "arch_abi"))
    var target: String?
    @Option(help: ArgumentHelp("A connected board's port, asked through mpremote.", valueName: "port"))
    var device: String?
    @Option(help: "Seconds to wait for the board.") var timeout: Int = 20

    func validate() throws {
        guard (target == nil) != (device == nil) else { throw ValidationError("give exactly one of --target and --device") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            Output.error("\(file): cannot read")
            throw ExitCode(2)
        }
        let header: MPYHeaderFacts
        do {
            header = try MPYHeaderFacts([UInt8](data))
        } catch {
            Output.error("\(file): not an .mpy file: \(error)")
            throw ExitCode.failure
        }
        let (loadTarget, targetName) = try resolveTarget()
        let verdict = CompatibilityChecker.check(header, against: loadTarget)
        var lines = ["\(file): \(verdict.file)", "firmware: \(targetName)"]
        if verdict.loads {
            lines.append("ok: the firmware loads this file")
        } else {
            lines.append("mismatch: the firmware refuses this file")
            lines += verdict.problems.map { "  - \($0)" }
        }
        lines += verdict.remarks.map { "note: \($0)" }
        lines += verdict.advice.map { "fix: \($0)" }
        if !verdict.loads {
            lines += installableSiblings(verdict.suitableBuilds, target: loadTarget).prefix(1).map { "fix: or install \($0) instead" }
        }
        print(lines.joined(separator: "\n"))
        if !verdict.loads { throw ExitCode.failure }
    }

    private func resolveTarget() throws -> (LoadTarget, String) {
        if let target {
            do {
                let parsed = try LoadTarget(parsing: target)
                return (parsed, parsed.description)
            } catch {
                Output.error("--target: \(error)")
                throw ExitCode(2)
            }
        }
        guard let device, let mpremote = DeviceQuery.findMPRemote() else {
            Output.error("\(DeviceQueryError.mpremoteNotFound)")
            throw ExitCode(2)
        }
        do {
            let info = try DeviceQuery(port: device, mpremote: mpremote, timeoutSeconds: timeout).run()
            let machine = info.machine.map { ", \($0)" } ?? ""
            let value = "0x" + String(info.sysImplementationMPY, radix: 16)
            return (info.loadTarget, "\(info.loadTarget) (MicroPython \(info.micropythonVersion)\(machine); sys.implementation._mpy = \(value))")
        } catch {
            Output.error("\(device): \(error)")
            throw ExitCode(2)
        }
    }

    /// Files of the same name in sibling dist directories that the firmware does load.
    private func installableSiblings(_ builds: [String], target: LoadTarget) -> [String] {
        let url = URL(fileURLWithPath: file)
        let distDirectory = url.deletingLastPathComponent().deletingLastPathComponent()
        return builds.compactMap { build in
            let candidate = distDirectory.appendingPathComponent(build).appendingPathComponent(url.lastPathComponent).path
            guard candidate != url.path, let bytes = FileManager.default.contents(atPath: candidate),
                  let facts = try? MPYHeaderFacts([UInt8](bytes)),
                  CompatibilityChecker.check(facts, against: target).loads else { return nil }
            return candidate
        }
    }
}
