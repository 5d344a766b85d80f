import Foundation
import MPYFormat
import Subprocess

/// Finds a compiler per architecture: an explicit `--cc ARCH=PATH` first, then a toolchain
/// `mpyforge toolchain install` put in the cache (the user asked for it by name), then PATH,
/// then (for Xtensa and Espressif RISC-V) the places ESP-IDF installs its toolchains.
public struct ToolchainFinder: Sendable {
    public var overrides: [NativeArch: String]
    public var environment: [String: String]
    /// Remembers what each compiler said about itself across runs (optional).
    public var identities: CompilerIdentityCache?
    /// Toolchains installed by `mpyforge toolchain install`.
    public var installed: [InstalledToolchain]

    public init(overrides: [NativeArch: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment,
                identities: CompilerIdentityCache? = nil, installed: [InstalledToolchain]? = nil) {
        self.overrides = overrides
        self.environment = environment
        self.identities = identities
        self.installed = installed ?? ToolchainCache(environment: environment).installed()
    }

    public func find(_ arch: NativeArch) -> Result<Compiler, ToolchainError> {
        let profile = ArchProfile.profile(for: arch)
        if let explicit = overrides[arch] {
            guard let path = executable(explicit) else {
                return .failure(.overrideUnusable(arch: arch, path: explicit, detail: "not an executable file"))
            }
            guard let entry = describe(arch, path) else {
                return .failure(.overrideUnusable(arch: arch, path: explicit, detail: "did not answer --version"))
            }
            return .success(Compiler(arch: arch, path: path, identity: entry.identity, extraFlags: entry.extraFlags))
        }
        let candidates = installed.compactMap { $0.compilerPath(for: arch) }
            + profile.compilerNames.flatMap { [$0] + espIDFCandidates($0) }
        for candidate in candidates {
            guard let path = executable(candidate), let entry = describe(arch, path), targets(arch, entry.machine) else { continue }
            return .success(Compiler(arch: arch, path: path, identity: entry.identity, extraFlags: entry.extraFlags))
        }
        return .failure(.compilerMissing(arch: arch, tried: profile.compilerNames, hint: profile.installHint))
    }

    /// The host compiler only builds x64 when the host is x86-64.
    private func targets(_ arch: NativeArch, _ machine: String) -> Bool {
        let prefixes = ArchProfile.profile(for: arch).requiredMachinePrefixes
        return prefixes.isEmpty || prefixes.contains { machine.hasPrefix($0) }
    }

    /// ESP-IDF keeps toolchains under $IDF_TOOLS_PATH (default ~/.espressif)/tools/<name>/<version>/<name>/bin.
    private func espIDFCandidates(_ name: String) -> [String] {
        guard name.hasPrefix("xtensa-esp") || name.hasPrefix("riscv32-esp") else { return [] }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let toolsRoot = environment["IDF_TOOLS_PATH"] ?? "\(home)/.espressif"
        let toolName = String(name.dropLast("-gcc".count))
        var found: [String] = []
        // ESP-IDF 5.2 and later ship one xtensa-esp-elf toolchain for all Xtensa chips.
        for tool in [toolName, "xtensa-esp-elf"] {
            let dir = "\(toolsRoot)/tools/\(tool)"
            let versions = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().reversed()
            for version in versions {
                found.append("\(dir)/\(version)/\(tool)/bin/\(name)")
            }
        }
        return found
    }

    private func executable(_ candidate: String) -> String? {
        if candidate.contains("/") {
            return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
        }
        return PathSearch.find(candidate, environment: environment)
    }

    /// The compiler's version line, target triple and the extra flags it needs, from the
    /// cache when the binary is unchanged.
    private func describe(_ arch: NativeArch, _ path: String) -> CompilerIdentityCache.Entry? {
        let compute = { () -> CompilerIdentityCache.Entry? in
            guard let output = try? ProcessRunner.run(path, ["--version"]), output.status == 0 else { return nil }
            let firstLine = output.stdout.split(separator: "\n").first.map(String.init) ?? path
            let machine = (try? ProcessRunner.run(path, ["-dumpmachine"]).stdout)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let driverFlags = ArchProfile.profile(for: arch).driverFlags[(path as NSString).lastPathComponent] ?? []
            return .init(identity: firstLine, machine: machine, extraFlags: driverFlags + picolibcSpecs(arch, path))
        }
        guard let identities else { return compute() }
        return identities.entry(arch: arch, path: path, compute: compute)
    }

    /// `-specs=picolibc.specs` where the arch's toolchains need it (see ArchProfile).
    private func picolibcSpecs(_ arch: NativeArch, _ path: String) -> [String] {
        guard let marker = ArchProfile.profile(for: arch).picolibcSpecsMarker,
              let output = try? ProcessRunner.run(path, ["--print-file-name=picolibc.specs"]) else { return [] }
        let specs = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard specs.hasPrefix("/"), let text = FileManager.default.contents(atPath: specs),
              String(decoding: text, as: UTF8.self).contains(marker) else { return [] }
        return ["-specs=\(specs)"]
    }
}
