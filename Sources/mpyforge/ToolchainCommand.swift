import ArgumentParser
import Foundation
import MPYFormat
import Toolchain
import ToolchainInstaller

struct ToolchainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toolchain",
        abstract: "Install, list and remove vendors' prebuilt compilers (ESP32, ESP32-C3, ARM) in your cache.",
        discussion: """
            Downloads the vendor's own archive for this machine (Espressif's xtensa-esp-elf
            and riscv32-esp-elf, Arm's GNU toolchain), checks its SHA-256 against a pinned
            table and unpacks it into $XDG_CACHE_HOME/mpyforge/toolchains (default
            ~/.cache/mpyforge/toolchains). `doctor` and `build` then find it without --cc.

              mpyforge toolchain install xtensawin   ESP32 (about 180 MB)
              mpyforge toolchain list                installed, and what can be
              mpyforge toolchain remove xtensawin

            MPYFORGE_TOOLCHAIN_MIRROR=URL works like --mirror.
            MPYFORGE_TOOLCHAIN_TABLE=FILE replaces the built-in table (same JSON format;
            see docs/toolchains.md).
            """,
        subcommands: [Install.self, List.self, Remove.self])

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download and unpack the vendor toolchain for an arch (does nothing if it is installed).")

        @Argument(help: ArgumentHelp("Arches (xtensawin, xtensa, rv32imc, armv6m, armv7m, armv7emsp, armv7emdp) or toolchain names.",
                                     valueName: "arch"))
        var selectors: [String]

        @Option(help: ArgumentHelp(
            "Fetch archives from <url>/<archive file name> instead of the vendor (an internal mirror, or file:///dir holding archives downloaded elsewhere).",
            valueName: "url"))
        var mirror: String?

        func run() throws {
            try ToolchainCommand.reportingErrors {
                let installer = try ToolchainCommand.installer(mirror: mirror)
                var releases: [ToolchainRelease] = []
                for selector in selectors {
                    let release = try installer.release(for: selector)
                    if !releases.contains(release) { releases.append(release) }
                }
                for release in releases { try install(release, with: installer) }
            }
        }

        private func install(_ release: ToolchainRelease, with installer: ToolchainInstaller) throws {
            let progress = DownloadProgress()
            defer { progress.end() }
            let outcome = try installer.install(release) { progress.show($0) }
            progress.end()
            let arches = release.arches.joined(separator: ", ")
            switch outcome {
            case .installed(let summary):
                print("installed \(release.name) \(release.version) (\(arches)) in \(summary.directory)")
            case .alreadyInstalled(let summary):
                print("\(release.name) \(release.version) (\(arches)) is already installed in \(summary.directory)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show installed toolchains and the ones that can be installed.")

        func run() throws {
            try ToolchainCommand.reportingErrors(list)
        }

        private func list() throws {
            let installer = try ToolchainCommand.installer(mirror: nil)
            let installed = installer.cache.installed()
            print("cache: \(installer.cache.root)")
            for release in installer.catalog.toolchains {
                let name = "\(release.name) \(release.version)".padding(toLength: 48, withPad: " ", startingAt: 0)
                let arches = release.arches.joined(separator: ",").padding(toLength: 34, withPad: " ", startingAt: 0)
                let state: String
                if let done = installer.installation(of: release) {
                    state = "installed  \(done.directory)"
                } else if let download = try? installer.download(for: release) {
                    state = "available  " + (download.size.map { DownloadProgress.megabytes($0) } ?? "size not listed")
                } else {
                    state = "not published for \(installer.host ?? HostPlatform.description)"
                }
                print("\(name)\(arches)\(state)")
            }
            let known = Set(installer.catalog.toolchains.map(\.directoryName))
            for other in installed where !known.contains("\(other.name)-\(other.version)") {
                let name = "\(other.name) \(other.version)".padding(toLength: 48, withPad: " ", startingAt: 0)
                let arches = other.arches.map(\.rawValue).joined(separator: ",").padding(toLength: 34, withPad: " ", startingAt: 0)
                print("\(name)\(arches)installed  \(other.directory) (not in this mpyforge's table)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete installed toolchains for an arch, a toolchain name, or one <name>-<version>.")

        @Argument(help: ArgumentHelp("Arch, toolchain name or <name>-<version>.", valueName: "arch"))
        var selectors: [String]

        func run() throws {
            try ToolchainCommand.reportingErrors {
                let installer = try ToolchainCommand.installer(mirror: nil)
                for selector in selectors {
                    for removed in try installer.remove(selector) {
                        print("removed \(removed.name) \(removed.version) (\(removed.directory))")
                    }
                }
            }
        }
    }

    /// Installer errors are printed as `mpyforge: error: ...` with a failing exit status.
    static func reportingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as InstallerError {
            Output.error(error.description)
            throw ExitCode.failure
        }
    }

    static func installer(mirror: String?) throws -> ToolchainInstaller {
        let environment = ProcessInfo.processInfo.environment
        return ToolchainInstaller(cache: ToolchainCache(environment: environment), catalog: try ToolchainCatalog.load(environment: environment),
                                  mirror: mirror, environment: environment)
    }
}
