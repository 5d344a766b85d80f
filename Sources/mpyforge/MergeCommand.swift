import ArgumentParser
import BuildSystem
import Foundation
import MPYFormat

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge .mpy files (at most one native) into one, as `mpy-tool.py --merge` does.")

    @Option(name: .shortAndLong, help: "Output .mpy file.") var output: String
    @Flag(help: "Store a qstr once when several inputs use it: smaller, and what `mpyforge build` does, but not byte-identical to mpy-tool.")
    var shareQstrs = false
    @Argument(help: "Input .mpy files.") var inputs: [String]

    func run() throws {
        let parts = try inputs.map { path -> (name: String, bytes: [UInt8]) in
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(path): cannot read") }
            return (path, [UInt8](data))
        }
        do {
            try writeAtomically(try MPYMerger.merge(parts, qstrLayout: shareQstrs ? .shared : .concatenated), to: output)
        } catch {
            Output.error("\(error)")
            throw ExitCode.failure
        }
    }
}
