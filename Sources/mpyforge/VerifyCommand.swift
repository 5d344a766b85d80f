import ArgumentParser
import PackageIndex

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-hash every file of a published index and check that its records agree.")

    @Argument(help: "The index directory `mpyforge publish` wrote.") var index: String

    func run() throws {
        let report = IndexVerifier.verify(index)
        for problem in report.problems { Output.error("\(index)/\(problem)") }
        guard report.isClean else {
            print("\(index): \(report.problems.count) problem(s)")
            throw ExitCode.failure
        }
        print("\(index): ok (\(report.packagesChecked) packages, \(report.filesHashed) files hashed)")
    }
}
