import ArgumentParser
import Foundation
import Inspector
import ModuleInstaller

struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install modules from a published index onto a board, picking the build it loads.",
        discussion: """
            Asks the board (through mpremote) for sys.implementation._mpy, picks
            the <arch>_<abi> build of each module that it loads, and installs it
            with mpremote's own mip from that build's index into the board's lib
            directory. When no published build fits, says why (arch, ABI,
            MicroPython version) and what would fix it.

              mpyforge install emlearn_trees --index https://me.github.io/mods
              mpyforge install emlearn_trees@0.2.0 emlearn_iir \\
                  --index http://192.168.1.20:8000 --device /dev/ttyACM0

            With no --device, mpremote finds the board (`connect auto`).
            Without a board, --target installs a build into a folder, hash-checked;
            the unix port's lib directory is ~/.micropython/lib:

              mpyforge install emlearn_trees --index https://me.github.io/mods \\
                  --target x64_6.3 --dest ~/.micropython/lib

            --index is the index root (the page's address); a build directory or
            index.html given there is taken back to the root. With --target it may
            also be a directory `mpyforge publish` wrote.
            """)

    @Argument(help: ArgumentHelp("Modules to install, optionally with a version.", valueName: "name[@version]"))
    var packages: [String]

    @Option(help: ArgumentHelp("The index root: its web address, or (with --target) its directory.", valueName: "url"))
    var index: String

    @Option(help: ArgumentHelp("The board's port for mpremote, e.g. /dev/ttyACM0, COM3, or auto.", valueName: "port"))
    var device: String?

    @Option(help: ArgumentHelp("Install for this build, with no board, into --dest.", valueName: "arch_abi"))
    var target: String?

    @Option(help: ArgumentHelp("The folder --target installs into.", valueName: "dir"))
    var dest: String = "lib"

    @Option(help: "Seconds to wait for the board to answer.") var timeout: Int = 20

    func validate() throws {
        guard !packages.isEmpty else { throw ValidationError("name at least one module to install") }
        if device != nil && target != nil { throw ValidationError("give --device or --target, not both") }
        if let target {
            do { _ = try LoadTarget(parsing: target) } catch { throw ValidationError("--target: \(error)") }
        }
    }

    func run() throws {
        do {
            let opened = try IndexAddress.open(index)
            let source = opened.source
            if let build = opened.strippedBuild {
                Output.note("--index names the build directory \(build.name); using the index root \(source.address) and picking the build from the \(target == nil ? "board" : "target")")
            }
            if target == nil && !source.isWebAddress {
                Output.error("--index \(source.address) is a directory; mpremote's mip needs a web address: run `mpyforge serve \(source.address)` and give the address it prints (or use --target)")
                throw ExitCode.failure
            }
            let requests = try packages.map { text throws(InstallError) in try PackageRequest(parsing: text) }
            let catalog = try IndexAddress.catalog(of: source)
            let (installTarget, port) = try resolveTarget()
            var choices: [BuildChoice] = []
            var failures: [String] = []
            for request in requests {
                do throws(InstallError) {
                    choices.append(try BuildChooser.choose(request, in: catalog, address: source.address, for: installTarget))
                } catch {
                    failures.append(error.description)
                }
            }
            guard failures.isEmpty else {
                for failure in failures { Output.error(failure) }
                throw ExitCode.failure
            }
            print("target: \(installTarget)")
            for choice in choices {
                print("\(choice.package) \(choice.version): \(choice.build.name) (\(source.url(of: choice.build.name)))")
            }
            if let port {
                try installOnDevice(choices, port: port, source: source)
            } else {
                let installed = try FolderInstaller(source: source, destination: dest).install(choices)
                for package in installed {
                    for file in package.files { print("installed \(file.path) (\(file.size) bytes)") }
                }
            }
        } catch let error as InstallError {
            Output.error(error.description)
            throw ExitCode.failure
        }
    }

    /// The board's answer, or the --target given.
    private func resolveTarget() throws -> (InstallTarget, String?) {
        if let target {
            do { return (InstallTarget(load: try LoadTarget(parsing: target)), nil) } catch {
                Output.error("--target: \(error)")
                throw ExitCode.failure
            }
        }
        let port = device ?? "auto"
        guard let mpremote = DeviceQuery.findMPRemote() else {
            Output.error("\(DeviceQueryError.mpremoteNotFound)")
            throw ExitCode.failure
        }
        do {
            let info = try DeviceQuery(port: port, mpremote: mpremote, timeoutSeconds: timeout).run()
            return (InstallTarget(load: info.loadTarget, micropythonVersion: info.micropythonVersion), port)
        } catch {
            Output.error("\(port): \(error)")
            if device == nil {
                Output.note("no --device given, so mpremote looked for a board itself (connect auto); give --device PORT, or --target ARCH_ABI to install into a folder without a board")
            }
            throw ExitCode.failure
        }
    }

    private func installOnDevice(_ choices: [BuildChoice], port: String, source: any IndexSource) throws {
        guard let mpremote = DeviceQuery.findMPRemote() else {
            Output.error("\(DeviceQueryError.mpremoteNotFound)")
            throw ExitCode.failure
        }
        let installer = DeviceInstaller(port: port, mpremote: mpremote)
        // One mpremote run per build directory, in the order the packages were named.
        var builds: [String] = []
        for choice in choices where !builds.contains(choice.build.name) { builds.append(choice.build.name) }
        for build in builds {
            let requests = choices.filter { $0.build.name == build }.map(\.request)
            let index = source.url(of: build)
            print("$ mpremote \(installer.arguments(index: index, packages: requests).joined(separator: " "))")
            fflush(nil)  // our lines first, then mpremote's, which writes to the same descriptor
            try installer.install(index: index, packages: requests, output: FileHandle.standardOutput)
        }
    }
}
