import ArgumentParser
import BuildSystem
import Foundation
import MPYFormat

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a new module directory from the template (Templates/natmod).")

    @Argument(help: "Module name: a Python identifier, e.g. my_filter.") var name: String
    @Option(help: "Parent directory for the module.") var into = "CModules"

    func validate() throws {
        if let problem = PythonIdentifier.moduleNameProblem(name) {
            throw ValidationError("'\(name.prefix(80))' is not a valid module name: \(problem)")
        }
    }

    func run() throws {
        let created = try ModuleTemplate.instantiate(name: name, into: into)
        print("created \(created)")
        print("next: mpyforge build \(created) --arch x64")
    }
}
