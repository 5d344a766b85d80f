import Foundation
import MPYFormat
import Toolchain

/// Where mpyforge finds what it builds with: its SDK headers, mpy-cross, and the Python
/// that knows where package headers (emlearn) live.
public struct BuildEnvironment: Sendable {
    public var sdkDirectory: String
    public var mpyCross: String?
    public var python: String?
    public var toolchains: ToolchainFinder

    /// Looks next to the running binary (a checkout's .build/…/mpyforge), then in the
    /// current directory, for the repository that holds CModules/sdk and .venv.
    public static func discover(toolchains: ToolchainFinder) -> BuildEnvironment {
        let env = ProcessInfo.processInfo.environment
        let root = repositoryRoot()
        let sdk = env["MPYFORGE_SDK"] ?? root.map { "\($0)/CModules/sdk" } ?? "CModules/sdk"
        let venvBin = root.map { "\($0)/.venv/bin" }
        func tool(_ variable: String, _ name: String) -> String? {
            if let explicit = env[variable] { return explicit }
            if let venvBin, FileManager.default.isExecutableFile(atPath: "\(venvBin)/\(name)") { return "\(venvBin)/\(name)" }
            for dir in (env["PATH"] ?? "").split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
            return nil
        }
        return BuildEnvironment(sdkDirectory: sdk, mpyCross: tool("MPY_CROSS", "mpy-cross"),
                                python: tool("MPYFORGE_PYTHON", "python3"), toolchains: toolchains)
    }

    static func repositoryRoot() -> String? {
        var candidates: [URL] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent())
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for start in candidates {
            var dir = start
            for _ in 0..<8 {
                if FileManager.default.fileExists(atPath: dir.appendingPathComponent("CModules/sdk").path) {
                    return dir.path
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }
}
