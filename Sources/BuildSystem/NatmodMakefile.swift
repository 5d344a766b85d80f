import Foundation
import MPYFormat
import Toolchain

/// The Makefile front end: a natmod Makefile (MOD, SRC, CFLAGS, `include
/// $(MPY_DIR)/py/dynruntime.mk`) evaluated by GNU make itself, once per arch, with MPY_DIR
/// pointing at mpyforge's own dynruntime.mk, which records what the module asks for instead
/// of compiling it. So include, $(shell ...), functions, conditionals on ARCH and
/// command-line variables all mean what they mean to make.
///
/// Steps: (1) a probe reads the Makefile's own MPY_DIR; (2) MPY_DIR is pointed at our SDK,
/// or, when the Makefile's MPY_DIR is a MicroPython checkout, at a view of that checkout
/// whose py/dynruntime.mk is ours (so $(MPY_DIR)/lib/... paths still reach the checkout);
/// (3) make runs once per arch; (4) the values become a ModuleManifest.
public struct NatmodMakefile: Sendable {
    public static let fileName = "Makefile"
    let directory: String
    let context: MakefileContext

    public init(directory: String, context: MakefileContext) {
        self.directory = directory
        self.context = context
    }

    var makefilePath: String { "\(directory)/\(NatmodMakefile.fileName)" }

    /// The module, or nil when the Makefile is not a natmod Makefile.
    public func manifest() throws -> ModuleManifest? {
        for variable in context.variables {
            let name = String(variable.prefix { $0 != "=" })
            if name == "ARCH" { throw MakefileError.reservedVariable(name: name, use: "choose arches with --arch") }
            if name.hasPrefix("MPYFORGE_") { throw MakefileError.reservedVariable(name: name, use: "mpyforge uses this name itself") }
        }
        let scratch = ModulePaths.absolute(context.scratchDirectory)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let runner = MakeRunner(make: try MakeRunner.locate(), directory: directory, makefile: NatmodMakefile.fileName,
                                scratch: scratch, timeout: context.makeTimeout)
        let sdk = ModulePaths.absolute(context.sdkDirectory)
        guard let firstArch = context.arches.first else { return nil }

        // (1) The Makefile's own MPY_DIR (a command-line MPY_DIR=... wins, as in make).
        let probe = try MakeRunner(make: runner.make, directory: directory, makefile: "\(sdk)/make/mpy-dir-probe.mk",
                                   scratch: scratch, timeout: context.makeTimeout)
            .describe(target: "mpyforge-mpy-dir", arch: firstArch,
                      arguments: ["MPYFORGE_MAKEFILE=\(NatmodMakefile.fileName)", "ARCH=\(firstArch.rawValue)"] + context.variables)
        guard let probe else { return nil }
        let ownMPYDir = probe["MPY_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        let checkout = ownMPYDir.flatMap { NatmodMakefile.isMicroPythonCheckout($0) ? $0 : nil }

        // (2) + (3)
        let mpyDir = try checkout.map { try MicroPythonView.make(checkout: $0, dynruntime: "\(sdk)/py/dynruntime.mk", in: scratch) } ?? sdk
        let userVariables = context.variables.filter { !$0.hasPrefix("MPY_DIR=") }
        let collected = ArchResults()
        let arches = context.arches
        DispatchQueue.concurrentPerform(iterations: arches.count) { index in
            let arch = arches[index]
            var arguments = ["MPY_DIR=\(mpyDir)", "ARCH=\(arch.rawValue)"]
            if let cc = context.compilers[arch] {
                arguments.append("CC=\(cc)")
                if cc.hasSuffix("gcc") { arguments.append("CROSS=\(cc.dropLast(3))") }
            }
            let result: Result<[String: String], MakefileError>
            do {
                if let values = try runner.describe(target: "mpyforge-describe", arch: arch, arguments: arguments + userVariables),
                   values["END"] == "1" {
                    result = .success(values)
                } else {
                    result = .failure(.notNatmod(makefile: makefilePath))
                }
            } catch let error as MakefileError {
                result = .failure(error)
            } catch {
                result = .failure(.makeFailed(makefile: makefilePath, arch: arch, command: "make", output: "\(error)"))
            }
            collected.store(result, for: arch)
        }
        let results = collected.all

        // (4)
        var names: [NativeArch: String] = [:]
        var manifest = ModuleManifest(name: "", directory: directory, sources: [])
        manifest.file = makefilePath
        for arch in arches {
            switch results[arch]! {
            case .failure(let error):
                // One arch the Makefile refuses ($(error ...)) fails that arch's jobs only.
                if case .notNatmod = error { throw error }
                manifest.arch[arch] = .init(unavailable: error.description)
            case .success(let values):
                names[arch] = try moduleName(values["MOD"] ?? "", arch: arch)
                manifest.arch[arch] = try settings(values, arch: arch)
            }
        }
        let distinct = Set(names.values).sorted()
        guard let name = distinct.first else {
            // Every arch failed: say why for the first.
            if case .failure(let error)? = results[firstArch] { throw error }
            return nil
        }
        guard distinct.count == 1 else { throw MakefileError.nameDiffersByArch(makefile: makefilePath, names: distinct) }
        manifest.name = name

        if let (source, include) = try internalInclude(manifest) {
            if let checkout {
                manifest.micropythonDirectory = checkout
            } else if !context.micropythonGiven {
                throw MakefileError.needsMicroPython(makefile: makefilePath, source: source, include: include, mpyDir: ownMPYDir)
            }
        }
        return manifest
    }

    /// MOD, less the `_$(ARCH)` suffix MicroPython's examples add (mpyforge sorts outputs
    /// by arch already), checked to be a Python identifier: it names the output file.
    func moduleName(_ value: String, arch: NativeArch) throws -> String {
        guard !value.isEmpty else { throw MakefileError.missingVariable(makefile: makefilePath, arch: arch, name: "MOD") }
        var name = value
        if name.hasSuffix("_\(arch.rawValue)") { name = String(name.dropLast(arch.rawValue.count + 1)) }
        guard ManifestParser.isIdentifier(name) else { throw MakefileError.badModuleName(makefile: makefilePath, arch: arch, value: value) }
        return name
    }

    func settings(_ values: [String: String], arch: NativeArch) throws -> ModuleManifest.ArchSettings {
        func words(_ key: String) throws -> [String] {
            do { return try ShellWords.split(values[key] ?? "") } catch {
                throw MakefileError.badQuoting(makefile: makefilePath, arch: arch, variable: key, value: values[key] ?? "")
            }
        }
        var settings = ModuleManifest.ArchSettings()
        // SRC is a make word list (no shell quoting: make itself cannot name files with blanks).
        settings.sources = (values["SRC"] ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !settings.sources.isEmpty else { throw MakefileError.missingVariable(makefile: makefilePath, arch: arch, name: "SRC") }
        settings.cflags = try words("CFLAGS") + words("CFLAGS_EXTRA")
        let float = (values["MICROPY_FLOAT_IMPL"] ?? "").uppercased()
        if !float.isEmpty {
            guard let implementation = ArchProfile.FloatImplementation(rawValue: float) else {
                throw MakefileError.badFloat(makefile: makefilePath, arch: arch, value: values["MICROPY_FLOAT_IMPL"] ?? "")
            }
            settings.floatImplementation = implementation
        }
        if let externs = values["MPY_EXTERN_SYM_FILE"], !externs.isEmpty, FileManager.default.fileExists(atPath: externs) {
            settings.externs = externs
        }
        return settings
    }

    /// The first `#include "dir/..."` of MicroPython's own tree (extmod/, lib/, shared/, or a
    /// py/ header our SDK lacks) in the module's C sources and local headers.
    func internalInclude(_ manifest: ModuleManifest) throws -> (source: String, include: String)? {
        let sdk = ModulePaths.absolute(context.sdkDirectory)
        var files = manifest.allSources.filter { $0.hasSuffix(".c") || $0.hasSuffix(".h") }
        files += ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".h") }.sorted()
        for file in files {
            guard let data = FileManager.default.contents(atPath: ModulePaths.path(file, in: directory)) else { continue }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                guard trimmed.hasPrefix("#"), let include = NatmodMakefile.quotedInclude(trimmed) else { continue }
                let top = include.prefix { $0 != "/" }
                guard ["extmod", "lib", "shared", "ports", "drivers", "py"].contains(String(top)), include.contains("/") else { continue }
                if FileManager.default.fileExists(atPath: "\(sdk)/\(include)") { continue }
                if FileManager.default.fileExists(atPath: ModulePaths.path(include, in: directory)) { continue }
                return (file, include)
            }
        }
        return nil
    }

    static func quotedInclude(_ line: Substring) -> String? {
        let body = line.dropFirst().drop { $0 == " " || $0 == "\t" }
        guard body.hasPrefix("include") else { return nil }
        let rest = body.dropFirst("include".count).drop { $0 == " " || $0 == "\t" }
        guard rest.hasPrefix("\"") else { return nil }
        let path = rest.dropFirst().prefix { $0 != "\"" }
        return path.isEmpty ? nil : String(path)
    }

    static func isMicroPythonCheckout(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(path)/py/dynruntime.h") && FileManager.default.fileExists(atPath: "\(path)/py/obj.h")
    }
}

/// Per-arch results of the make runs, filled from worker threads.
final class ArchResults: @unchecked Sendable {
    private var values: [NativeArch: Result<[String: String], MakefileError>] = [:]
    private let lock = NSLock()

    func store(_ result: Result<[String: String], MakefileError>, for arch: NativeArch) {
        lock.lock()
        defer { lock.unlock() }
        values[arch] = result
    }

    var all: [NativeArch: Result<[String: String], MakefileError>] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}
