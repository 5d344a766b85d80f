import Digest
import ELFReader
import Foundation
import Linker
import MPYFormat
import Subprocess
import Toolchain

/// One .mpy to make: a module output (variant) for one arch and ABI.
public struct BuildJob: Sendable, Hashable {
    public let module: ModuleManifest
    public let output: ModuleManifest.Variant
    public let arch: NativeArch
    public let abi: ABIVersion

    public var label: String { "\(output.name) \(arch.rawValue)_\(abi)" }

    public static func == (a: BuildJob, b: BuildJob) -> Bool {
        a.module.directory == b.module.directory && a.output == b.output && a.arch == b.arch && a.abi == b.abi
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(module.directory)
        hasher.combine(output.name)
        hasher.combine(arch)
        hasher.combine(abi)
    }
}

/// What a finished job produced.
public struct BuiltModule: Sendable {
    public let path: String
    public let size: Int
    public let warnings: [String]
    /// True when the inputs were unchanged and the existing output was kept.
    public let cached: Bool
}

/// Turns one BuildJob into an .mpy file: qstr header, compile, mpy-cross, link, merge,
/// atomic write. Every intermediate file lives under `workRoot`.
public final class ModuleBuilder: @unchecked Sendable {
    let environment: BuildEnvironment
    let outputRoot: String
    let workRoot: String
    let archives = ArchiveCache()
    let fingerprints = BuildFingerprint()
    private var supportArchives: [Compiler: ELFArchive] = [:]
    private var includeCache: [String: String] = [:]
    private let lock = NSLock()

    public init(environment: BuildEnvironment, outputRoot: String, workRoot: String) {
        self.environment = environment
        // Compilers run in the module directory, so every path handed to them is absolute.
        self.outputRoot = ModulePaths.absolute(outputRoot)
        self.workRoot = ModulePaths.absolute(workRoot)
    }

    public func outputPath(_ job: BuildJob) -> String {
        "\(outputRoot)/\(job.arch.rawValue)_\(job.abi)/\(job.output.name).mpy"
    }

    public func build(_ job: BuildJob, compiler: Compiler) throws -> BuiltModule {
        let module = job.module
        if let reason = module.arch[job.arch]?.unavailable { throw BuildError.archUnavailable(reason) }
        let work = "\(workRoot)/\(job.output.name)/\(job.arch.rawValue)_\(job.abi)"
        try makeDirectory(work)
        let configHeader = "\(work)/\(job.output.name).config.h"
        let flags = try compileFlags(job, compiler: compiler, configHeader: configHeader)
        let destination = outputPath(job)

        let fingerprint = fingerprints.fingerprint(job, compiler: compiler, flags: flags, mpyCross: environment.mpyCross(for: job.abi))
        let recordPath = "\(work)/build-record"
        if let record = BuildRecord.read(recordPath), fingerprints.isCurrent(record, fingerprint: fingerprint),
           let existing = FileManager.default.contents(atPath: destination), SHA256.hex([UInt8](existing)) == record.outputDigest {
            return BuiltModule(path: destination, size: existing.count, warnings: [], cached: true)
        }

        let sourceTexts = try module.cSources(for: job.arch).map { try readText(ModulePaths.path($0, in: module.directory)) }
            + localHeaders(module.directory)
        let qstrs = QstrSet(sources: sourceTexts)
        try writeAtomically(Array(qstrs.configHeader.utf8), to: configHeader)

        var objects: [ELFObject] = []
        var dependencies: [String] = []
        for source in module.cSources(for: job.arch) {
            let objectPath = "\(work)/\(objectName(source))"
            try compile(source, in: module.directory, to: objectPath, compiler: compiler, flags: flags + ["-MD", "-MF", "\(objectPath).d"])
            objects.append(try readObject(objectPath))
            let listed = FileManager.default.contents(atPath: "\(objectPath).d").map { String(decoding: $0, as: UTF8.self) } ?? ""
            dependencies += DependencyFile.paths(listed, relativeTo: module.directory)
        }
        let libraries = try module.libraries.flatMap { try archives.archives(at: ModulePaths.path($0, in: module.directory)) }
            + runtimeSupport(compiler)
            + RuntimeLibraries.locate(compiler: compiler, flags: compiler.compileFlags).flatMap { try archives.archives(at: $0) }

        let pythonSources = module.pythonSources(for: job.arch)
        let request = LinkRequest(arch: job.arch, abi: job.abi, objects: objects, archives: libraries,
                                  qstrs: qstrs.moduleQstrs, sourceName: Self.nativeSourceName(pythonSources: pythonSources),
                                  fixedAddresses: try fixedAddresses(job), discardUnreachableSections: true)
        let linked: LinkResult
        do { linked = try Linker.link(request) } catch let error as LinkError {
            throw BuildError.link(module: job.output.name, arch: job.arch, error)
        }
        var parts: [(name: String, bytes: [UInt8])] = [(job.output.name, NativeModuleWriter.encode(linked.image))]
        for source in pythonSources {
            parts.append((source, try compilePython(source, in: module.directory, job: job, work: work)))
        }
        let merged: [UInt8]
        do { merged = try MPYMerger.merge(parts, qstrLayout: .shared) } catch {
            throw BuildError.merge(module: job.output.name, detail: "\(error)")
        }
        try makeDirectory((destination as NSString).deletingLastPathComponent)
        try writeAtomically(merged, to: destination)
        let record = BuildRecord(fingerprint: fingerprint, outputDigest: SHA256.hex(merged),
                                 dependencies: Set(dependencies).sorted().map { .init(path: $0, digest: fingerprints.digest(file: $0)) })
        try record.write(recordPath)
        return BuiltModule(path: destination, size: merged.count, warnings: linked.warnings, cached: false)
    }

    /// The source name (qstr 0) of the linked native part. Only bytecode tracebacks read a
    /// file's qstr 0, and the merge makes the native part's the whole file's: so a module with
    /// Python code gets its first Python file's name (tracebacks in it then name the right file,
    /// and the merge stores that name once), and a native-only module the empty name, a static
    /// qstr that costs one byte instead of the name spelled out (and interned on the device).
    static func nativeSourceName(pythonSources: [String]) -> String {
        pythonSources.first ?? ""
    }

    /// The SDK's runtime support objects for this compiler, compiled once per run and offered
    /// to the linker as one more archive: a member is linked only if the module needs it.
    private func runtimeSupport(_ compiler: Compiler) throws -> [ELFArchive] {
        let sources = ArchProfile.profile(for: compiler.arch).runtimeSupportSources
        guard !sources.isEmpty else { return [] }
        lock.lock()
        defer { lock.unlock() }
        if let known = supportArchives[compiler] { return [known] }
        let directory = "\(workRoot)/.runtime/\(compiler.arch.rawValue)"
        try makeDirectory(directory)
        let sdk = ModulePaths.absolute(environment.runtimeSupportDirectory)
        var members: [ELFArchive.Member] = []
        for source in sources {
            let object = "\(directory)/\(objectName((source as NSString).lastPathComponent))"
            try compile(source, in: sdk, to: object, compiler: compiler, flags: compiler.compileFlags + ["-ffunction-sections", "-fdata-sections"])
            guard let data = FileManager.default.contents(atPath: object) else { throw BuildError.io(path: object, detail: "cannot read object") }
            members.append(.init(name: (source as NSString).lastPathComponent, bytes: [UInt8](data)))
        }
        let archive: ELFArchive
        do { archive = try ArchiveReader.index(members: members, path: "mpyforge-runtime") } catch let error as ELFError {
            throw BuildError.link(module: "runtime support", arch: compiler.arch, .input(error))
        }
        supportArchives[compiler] = archive
        return [archive]
    }

    /// ROM symbols of the arch, plus the module's own `externs` linker script.
    private func fixedAddresses(_ job: BuildJob) throws -> [String: UInt64] {
        var symbols = ArchProfile.profile(for: job.arch).romSymbols
        if let externs = job.module.arch[job.arch]?.externs ?? job.module.externs {
            let path = ModulePaths.path(externs, in: job.module.directory)
            let text = try readText(path)
            do { symbols.merge(try FixedAddressScript.parse(text, file: path)) { _, given in given } } catch {
                throw BuildError.io(path: path, detail: "\(error)")
            }
        }
        return symbols
    }

    /// All flags of one compile: the arch's natmod flags, the SDK, the module's own settings.
    func compileFlags(_ job: BuildJob, compiler: Compiler, configHeader: String) throws -> [String] {
        let module = job.module
        // One section per function and variable, so the linker can drop what mpy_init never reaches.
        var flags = compiler.compileFlags + ["-ffunction-sections", "-fdata-sections"]
        if let float = module.floatImplementation(for: job.arch) {
            // The module's float type replaces the arch's (a Makefile's MICROPY_FLOAT_IMPL).
            flags = flags.filter { !$0.hasPrefix("-DMICROPY_FLOAT_IMPL=") } + ["-DMICROPY_FLOAT_IMPL=MICROPY_FLOAT_IMPL_\(float.rawValue)"]
        }
        // A string literal: `#include MP_CONFIGFILE` does not expand macros inside one, where it
        // expands every word of a <...> name (a work path through a directory named "linux",
        // built with -std=gnu99, became .../1/... and the include failed).
        guard !configHeader.contains("\""), !configHeader.contains("\n") else {
            throw BuildError.io(path: configHeader, detail: "the work directory's path holds a double quote or a line break, which a C #include cannot name; choose another --work directory")
        }
        flags += ["-DMP_CONFIGFILE=\"\(configHeader)\"", "-DMPYFORGE_ABI_SUBVERSION=\(job.abi.subVersion)"]
        flags += ["-I\(ModulePaths.absolute(sdkDirectory(for: module)))", "-I."]
        for include in module.includes + environment.extraIncludes { flags.append("-I\(try resolveInclude(include, module: module))") }
        let settings = module.arch[job.arch] ?? .init()
        flags += (module.defines + settings.defines + job.output.defines + environment.extraDefines).map { "-D\($0)" }
        flags += module.cflags + settings.cflags
        return flags
    }

    /// Headers to compile against: --micropython for every module when given, else the
    /// module's own MicroPython checkout (a Makefile's MPY_DIR) when it needs one, else our SDK.
    func sdkDirectory(for module: ModuleManifest) -> String {
        if environment.micropythonOverride { return environment.sdkDirectory }
        return module.micropythonDirectory ?? environment.sdkDirectory
    }

    private func compile(_ source: String, in directory: String, to object: String, compiler: Compiler, flags: [String]) throws {
        // Run in the module directory with a relative source path, so no absolute path of
        // this machine ends up in the object.
        let arguments = flags + ["-c", source, "-o", object]
        let output = try ProcessRunner.run(compiler.path, arguments, in: directory)
        guard output.status == 0 else {
            let command = ShellCommand.line([compiler.path] + arguments, in: directory)
            throw BuildError.compileFailed(source: "\(directory)/\(source)", command: command, output: output.stderr + output.stdout)
        }
    }

    private func compilePython(_ source: String, in directory: String, job: BuildJob, work: String) throws -> [UInt8] {
        guard let mpyCross = environment.mpyCross(for: job.abi) else { throw BuildError.mpyCrossMissing(abi: job.abi) }
        // The package's binaries lose their execute bit in some installs (its launcher restores it).
        chmod(mpyCross, 0o755)
        let output = "\(work)/\(objectName(source)).mpy"
        let arguments = ["-march=\(job.arch.rawValue)", "-o", output, source]
        let result = try ProcessRunner.run(mpyCross, arguments, in: directory)
        guard result.status == 0 else {
            throw BuildError.mpyCrossFailed(source: "\(directory)/\(source)", command: ShellCommand.line([mpyCross] + arguments, in: directory),
                                            output: result.stderr + result.stdout)
        }
        guard let data = FileManager.default.contents(atPath: output) else { throw BuildError.io(path: output, detail: "mpy-cross wrote nothing") }
        return [UInt8](data)
    }

    /// "emlearn" means the C headers of the pinned emlearn Python package; anything else is
    /// a directory relative to the module.
    func resolveInclude(_ include: String, module: ModuleManifest) throws -> String {
        let local = include.hasPrefix("/") ? include : "\(module.directory)/\(include)"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory), isDirectory.boolValue { return local }
        lock.lock()
        defer { lock.unlock() }
        if let known = includeCache[include] { return known }
        guard ManifestParser.isIdentifier(include), let python = environment.python else {
            throw BuildError.includeNotFound(module: module.name, include: include, detail: "no such directory")
        }
        // Importing a package (emlearn imports numpy) costs most of a second; the answer is
        // kept in the work directory and reused while that directory exists.
        let remembered = "\(workRoot)/.includes/\(include)"
        if let data = FileManager.default.contents(atPath: remembered) {
            let path = String(decoding: data, as: UTF8.self)
            if FileManager.default.fileExists(atPath: path) {
                includeCache[include] = path
                return path
            }
        }
        let output = try ProcessRunner.run(python, ["-c", "import \(include); print(\(include).includedir)"])
        let path = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard output.status == 0, !path.isEmpty else {
            throw BuildError.includeNotFound(module: module.name, include: include,
                                             detail: "neither a directory nor a Python package with .includedir (\(python)); run ./scripts/setup")
        }
        try makeDirectory("\(workRoot)/.includes")
        try writeAtomically(Array(path.utf8), to: remembered)
        includeCache[include] = path
        return path
    }

    private func localHeaders(_ directory: String) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return try names.filter { $0.hasSuffix(".h") }.sorted().map { try readText("\(directory)/\($0)") }
    }

    private func objectName(_ source: String) -> String {
        source.replacingOccurrences(of: "/", with: "__").replacingOccurrences(of: ".c", with: ".o")
    }

    private func readObject(_ path: String) throws -> ELFObject {
        guard let data = FileManager.default.contents(atPath: path) else { throw BuildError.io(path: path, detail: "cannot read object") }
        do { return try ObjectReader.read(bytes: [UInt8](data), name: path) } catch let error as ELFError {
            throw BuildError.link(module: path, arch: .x64, .input(error))
        }
    }

    private func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw BuildError.io(path: path, detail: "cannot read source") }
        return String(decoding: data, as: UTF8.self)
    }

    private func makeDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw BuildError.io(path: path, detail: "cannot create directory: \(error.localizedDescription)")
        }
    }
}
