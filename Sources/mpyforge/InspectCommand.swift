import ArgumentParser
import Foundation
import Inspector
import MPYFormat

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what is inside an .mpy file: header, qstrs, code objects, relocations.",
        discussion: """
            Reads any .mpy of format version 6: mpyforge's, mpy_ld.py's, mpy-cross
            bytecode, merged files.

              mpyforge inspect dist/x64_6.3/foo.mpy   summary
              mpyforge inspect foo.mpy --disasm       with the native code disassembled
              mpyforge inspect foo.mpy --json         machine-readable (docs/inspect.md)
            """)

    @Argument(help: "The .mpy file.") var file: String
    @Flag(help: "Disassemble native code (libopcodes), annotating relocated words.") var disasm = false
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            Output.error("\(file): cannot read")
            throw ExitCode.failure
        }
        let report: InspectionReport
        do {
            report = try Inspector.inspect([UInt8](data), disassemble: disasm)
        } catch {
            Output.error("\(file): not a valid .mpy: \(error)")
            throw ExitCode.failure
        }
        if json {
            FileHandle.standardOutput.write(try InspectionJSON.encode(report))
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(InspectionText.render(report, fileName: file).utf8))
        }
    }
}
