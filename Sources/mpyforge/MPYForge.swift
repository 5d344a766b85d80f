import ArgumentParser
import BuildSystem

@main
struct MPYForge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpyforge",
        abstract: "Build, link and publish MicroPython native modules (.mpy) for every architecture.",
        discussion: """
            From nothing to a module on a board:
              mpyforge doctor                       compilers found, per arch
              mpyforge toolchain install xtensawin  Espressif's ESP32 compiler
              mpyforge new my_filter                CModules/my_filter, from a template
              mpyforge build                        -> dist/<arch>_6.3/my_filter.mpy
              mpyforge publish dist site --version 0.1.0
              mpyforge serve site                   a mip index on 127.0.0.1:8000
              mpyforge install my_filter --index http://127.0.0.1:8000 \\
                  --device /dev/ttyUSB0             asks the board which build
            `mpyforge <subcommand> --help` has examples for each.
            """,
        version: MPYForgeVersion.current,
        subcommands: [BuildCommand.self, LinkCommand.self, MergeCommand.self, DoctorCommand.self, ToolchainCommand.self, NewCommand.self, InspectCommand.self, CheckCommand.self,
                      PublishCommand.self, VerifyCommand.self, ServeCommand.self, InstallCommand.self]
    )

    static func main() {
        main(JoinedDefines.split(Array(CommandLine.arguments.dropFirst())))
    }
}
