import ArgumentParser
import BuildSystem
import Foundation
import MPYFormat

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a new module directory from the template (Templates/natmod).",
        discussion: """
            --ci github also writes .github/workflows/mpyforge.yml into the module.
            On each push it installs the compilers (mpyforge toolchain install),
            builds every arch, publishes the index to GitHub Pages, then installs
            the module from the live site and runs it. It is meant for a module
            that is its own repository (module.toml at the root); see
            docs/publishing.md.
            """)

    @Argument(help: "Module name: a Python identifier, e.g. my_filter.") var name: String
    @Option(help: "Parent directory for the module.") var into = "CModules"
    @Option(help: ArgumentHelp("Also write a CI workflow that builds, publishes and verifies (repeatable).", valueName: "service"))
    var ci: [CITemplate] = []

    func validate() throws {
        if let problem = PythonIdentifier.moduleNameProblem(name) {
            throw ValidationError("'\(name.prefix(80))' is not a valid module name: \(problem)")
        }
    }

    func run() throws {
        let created = try ModuleTemplate.instantiate(name: name, into: into, ci: ci)
        print("created \(created)")
        for workflow in ci {
            print("created \(created)/\(workflow.destination)")
        }
        print("next: mpyforge build \(created) --arch x64")
        if ci.contains(.github) {
            print("then: make \(created) a GitHub repository, set Settings > Pages > Source to GitHub Actions, and push")
        }
    }
}

extension CITemplate: ExpressibleByArgument {}
