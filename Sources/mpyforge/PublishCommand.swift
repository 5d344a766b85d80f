import ArgumentParser
import BuildSystem
import Foundation
import PackageIndex

struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Add the modules of a dist directory to a static mip package index.",
        discussion: """
            Writes one mip index per <arch>_<abi> under <index dir>, plain .mpy files,
            a bundle package.json per build, index.json, index.html and the
            pure-Python installer mpyforge_install.py. Older versions stay; latest
            moves to this one. The new tree is built and verified beside the old
            one, then swapped in with a rename.

              mpyforge publish dist site --version 0.2.0 \\
                  --base-url https://me.github.io/mods
            """)

    @Argument(help: "The dist directory `mpyforge build` wrote (holds <arch>_<abi>/<module>.mpy).") var dist: String
    @Argument(help: "The index directory to create or update.") var index: String
    @Option(help: "Version of this publish.") var version: String = PackageVersion.defaultVersion
    @Option(name: .customLong("base-url"), help: "Where the index will be served from, for index.html and the installer.")
    var baseURL: String?

    func run() throws {
        do {
            guard let templatePath = InstallerTemplate.locate(resourceRoot: InstallLayout.resourceRoot) else {
                throw ValidationError("cannot find \(InstallerTemplate.relativePath) (set MPYFORGE_TEMPLATES to the Templates directory)")
            }
            let request = PublishRequest(dist: dist, index: index, version: version, baseURL: baseURL,
                                         installerTemplate: try InstallerTemplate.load(templatePath),
                                         generatorVersion: MPYForgeVersion.current)
            let result = try Publisher.publish(request)
            for entry in result.entries {
                print("published \(entry.target.name)/\(entry.name).mpy \(result.version) (\(entry.size) bytes, \(entry.hash))")
            }
            let base = baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "<base-url>"
            print("index: \(result.index)")
            for target in result.targets {
                print("  \(target.name) (\(target.arch.boards); \(target.abi.micropythonReleases)): mpremote mip install --index \(base)/\(target.name) <module>")
            }
            print("  any board on USB: mpyforge install <module> --index \(base) --device <port>")
            if baseURL == nil {
                Output.note("published without --base-url: index.html and `mpyforge serve` fill in their own address; served by anything else (GitHub Pages, nginx), the installer on a board needs install(name, base=\"<address>\"), so publish with --base-url for those")
            }
        } catch let error as IndexError {
            Output.error(error.description)
            throw ExitCode.failure
        }
    }
}
