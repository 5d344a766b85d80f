import ArgumentParser
import BuildSystem
import Foundation

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a new module directory from the template (Templates/natmod).")

    @Argument(help: "Module name: a Python identifier, e.g. my_filter.") var name: String
    @Option(help: "Parent directory for the module.") var into = "CModules"

    func validate() throws {
        guard let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw ValidationError("'\(name)' is not a valid module name: use letters, digits and _")
        }
    }

    func run() throws {
        let created = try ModuleTemplate.instantiate(name: name, into: into)
        print("created \(created)")
        print("next: mpyforge build \(created) --arch x64")
    }
}
