import ArgumentParser
import BuildSystem
import Foundation
import MPYFormat
import Toolchain

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build modules for every arch and ABI asked for, into dist/<arch>_<abi>/<module>.mpy.",
        discussion: """
            With no directory, builds every module under CModules/. A module is a directory with a \
            module.toml (docs/module-toml.md) or a natmod Makefile (docs/makefiles.md), which GNU make \
            evaluates per arch against mpyforge's own dynruntime.mk; NAME=VALUE words are make \
            variables, as on make's command line.

            With no --arch, builds for every arch whose compiler is present and says which it \
            skipped; with --arch, a missing compiler is an error.

            Examples:
              mpyforge build CModules/my_filter --arch x64 -DTRACE=1
              mpyforge build examples/natmod/btree --arch armv6m --arch rv32imc
              mpyforge build src/tinymaix_cnn CONFIG=fp32 --arch armv7emsp
            """)

    @Argument(help: ArgumentHelp(
        "Module directories, or directories of modules (default: CModules); NAME=VALUE words are make variables for natmod Makefiles (CONFIG=fp32).",
        valueName: "dir|NAME=VALUE"))
    var directories: [String] = []

    @Option(name: [.customShort("D", allowingJoined: true), .customLong("define")],
            help: ArgumentHelp("A preprocessor define for every module of this build (repeatable): -DNAME or -DNAME=VALUE.", valueName: "NAME[=VALUE]"))
    var defines: [String] = []

    @Option(name: [.customShort("I", allowingJoined: true), .customLong("include")],
            help: ArgumentHelp("An include directory for every module of this build (repeatable).", valueName: "dir"))
    var includes: [String] = []

    @Option(name: .customLong("arch"), help: "Target arch (repeatable). Default: all with a compiler.")
    var arches: [NativeArch] = []

    @Option(name: .customLong("abi"), help: "Target .mpy ABI (repeatable): 6.3 (MicroPython >= 1.23) or 6.2 (1.22).")
    var abis: [ABIVersion] = []

    @Option(name: .customLong("module"), help: "Only build the module or output with this name (repeatable).")
    var moduleNames: [String] = []

    @Option(name: .customLong("out"), help: "Output directory.")
    var outputDirectory = "dist"

    @Option(name: .customLong("work"), help: "Directory for intermediate files.")
    var workDirectory = "build"

    @Option(name: .shortAndLong, help: "Parallel jobs (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("micropython"), help: ArgumentHelp(
        "Compile against this MicroPython checkout's headers instead of mpyforge's SDK (for natmods that include MicroPython internals, e.g. extmod/modheapq.c).",
        valueName: "dir"))
    var micropythonDirectory: String?

    @Option(name: .customLong("make-timeout"), help: ArgumentHelp("Seconds one make run on a natmod Makefile may take before it is stopped.", valueName: "seconds"))
    var makeTimeout: Double = 300

    @Flag(help: "Print a JSON build report (jobs, status, sizes, times) on standard output; progress goes to standard error.")
    var json = false

    @OptionGroup var toolchain: ToolchainOptions

    func run() throws {
        let (makeVariables, named) = MakefileContext.splitVariables(directories)
        var finder = try toolchain.finder()
        finder.identities = CompilerIdentityCache(file: "\(workDirectory)/.compilers.json")
        var environment = BuildEnvironment.discover(toolchains: finder)
        if let micropythonDirectory {
            guard FileManager.default.fileExists(atPath: "\(micropythonDirectory)/py/dynruntime.h") else {
                throw ValidationError("--micropython \(micropythonDirectory): no py/dynruntime.h there; give the top of a MicroPython checkout")
            }
            environment.sdkDirectory = (micropythonDirectory as NSString).standardizingPath
            environment.micropythonOverride = true
        }
        environment.extraDefines = defines
        // -I paths are the user's, relative to where mpyforge runs; compilers run in module directories.
        environment.extraIncludes = includes.map { ($0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0) }
        let plannedArches = arches.isEmpty ? NativeArch.allCases : arches
        // Found once: make is told each arch's compiler (CC), and the build uses the same ones.
        var found: [NativeArch: Result<Compiler, ToolchainError>] = [:]
        for arch in plannedArches { found[arch] = finder.find(arch) }
        let compilerPaths = found.compactMapValues { try? $0.get().path }
        var makefiles = MakefileContext(arches: plannedArches, variables: makeVariables, compilers: compilerPaths,
                                        scratchDirectory: "\(workDirectory)/.make", sdkDirectory: environment.runtimeSupportDirectory,
                                        micropythonGiven: micropythonDirectory != nil)
        makefiles.makeTimeout = makeTimeout
        var modules: [ModuleManifest] = []
        for directory in named.isEmpty ? ["CModules"] : named {
            modules += try ModuleDiscovery.modules(in: directory, makefiles: makefiles).filter { $0.name != "sdk" }
        }
        try BuildPlanCheck.check(modules)
        if !moduleNames.isEmpty {
            modules = modules.compactMap { module in
                if moduleNames.contains(module.name) { return module }
                var narrowed = module
                narrowed.variants = module.variants.filter { moduleNames.contains($0.name) }
                return narrowed.variants.isEmpty ? nil : narrowed
            }
            guard !modules.isEmpty else { throw ValidationError("no module named \(moduleNames.joined(separator: ", "))") }
        }
        // Only a plan that holds writes anything into --work (the compiler identities too).
        defer { finder.identities?.save() }
        let driver = BuildDriver(modules: modules, arches: plannedArches,
                                 abis: abis.isEmpty ? [.v6_3] : abis, archesExplicit: !arches.isEmpty, jobs: jobs)
        let builder = ModuleBuilder(environment: environment, outputRoot: outputDirectory, workRoot: workDirectory)
        let progress = BuildProgress(json: json)
        let start = Date()
        let reports = driver.run(builder: builder, compilers: found, started: { progress.started($0) },
                                 finished: { progress.finished($0, done: $1, total: $2) })
        progress.end()
        if json {
            BuildProgress.summary(reports, to: FileHandle.standardError)
            print(BuildReport.json(reports, seconds: Date().timeIntervalSince(start)))
        } else {
            BuildProgress.summary(reports, to: FileHandle.standardOutput)
        }
        if reports.contains(where: { if case .failed = $0.status { return true } else { return false } }) {
            throw ExitCode.failure
        }
    }
}
