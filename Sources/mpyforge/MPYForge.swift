import ArgumentParser
import BuildSystem

@main
struct MPYForge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpyforge",
        abstract: "Build, link and publish MicroPython native modules (.mpy) for every architecture.",
        discussion: """
            Typical use, from a repository with modules under CModules/:
              mpyforge doctor                         which compilers are present, per arch
              mpyforge toolchain install xtensawin    fetch Espressif's ESP32 compiler (no ESP-IDF needed)
              mpyforge build                          every module, every arch with a compiler
              mpyforge build CModules/foo --arch x64  one module, one arch -> dist/x64_6.3/foo.mpy
              mpyforge new my_module                  start a module from the template
            """,
        version: MPYForgeVersion.current,
        subcommands: [BuildCommand.self, LinkCommand.self, MergeCommand.self, DoctorCommand.self, ToolchainCommand.self, NewCommand.self, InspectCommand.self, CheckCommand.self,
                      PublishCommand.self, VerifyCommand.self, ServeCommand.self, InstallCommand.self]
    )

    static func main() {
        main(JoinedDefines.split(Array(CommandLine.arguments.dropFirst())))
    }
}
