import ArgumentParser
import MPYFormat
import Toolchain

/// Options every command that compiles shares.
struct ToolchainOptions: ParsableArguments {
    @Option(name: .customLong("cc"), help: ArgumentHelp(
        "Use this compiler for an arch, e.g. --cc xtensawin=/opt/esp/xtensa-esp32-elf-gcc (repeatable).",
        valueName: "arch=path"))
    var compilers: [String] = []

    func finder() throws -> ToolchainFinder {
        var overrides: [NativeArch: String] = [:]
        for entry in compilers {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let arch = NativeArch(rawValue: parts[0]) else {
                throw ValidationError("--cc takes arch=path, with arch one of: \(NativeArch.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            overrides[arch] = parts[1]
        }
        return ToolchainFinder(overrides: overrides)
    }
}

extension NativeArch: ExpressibleByArgument {}

extension ABIVersion: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public static var allValueStrings: [String] { ABIVersion.supported.map(\.description) }
}
