import ArgumentParser
import BuildSystem
import ELFReader
import Foundation
import Linker
import MPYFormat
import Toolchain

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Link relocatable objects into a native .mpy (what upstream tools/mpy_ld.py does).",
        discussion: """
            The module's qstrs come from --qstrs (a config header as `mpyforge build`
            or `mpy_ld.py --preprocess` writes it); a qstr the objects use but the
            header lacks is an error. Undefined symbols are looked up in the -l
            archives (libgcc.a, libm.a), pulling in only the members needed.

              mpyforge link --arch armv7emsp --qstrs build/mod.config.h \\
                  -l libgcc.a -o mod.mpy a.o b.o
            """)

    @Option(help: "Target arch.") var arch: NativeArch
    @Option(help: "Target ABI.") var abi: ABIVersion = .v6_3
    @Option(name: .shortAndLong, help: "Output .mpy file.") var output: String
    @Option(help: "Config header listing the module's qstrs.") var qstrs: String?
    @Option(name: [.customShort("l"), .customLong("lib")], help: "Static library to resolve symbols from (repeatable).")
    var libraries: [String] = []
    @Option(help: "Name stored as the module's file name (default: the output's file name).") var sourceName: String?
    @Option(name: [.customShort("e"), .customLong("externs")], help: "Linker script of fixed-address (ROM) symbols, e.g. the ESP8266 SDK's eagle.rom.addr.v6.ld.")
    var externs: String?
    @Argument(help: "Object files (.o).") var objects: [String]

    func run() throws {
        do {
            let inputs = try objects.map { path -> ELFObject in
                guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(path): cannot read") }
                return try ObjectReader.read(bytes: [UInt8](data), name: path)
            }
            let cache = ArchiveCache()
            let archives = try libraries.flatMap { try cache.archives(at: $0) }
            var names: [String] = []
            if let qstrs {
                guard let text = FileManager.default.contents(atPath: qstrs) else { throw ValidationError("\(qstrs): cannot read") }
                names = ConfigHeader.moduleQstrs(String(decoding: text, as: UTF8.self))
            }
            var fixed = ArchProfile.profile(for: arch).romSymbols
            if let externs {
                guard let text = FileManager.default.contents(atPath: externs) else { throw ValidationError("\(externs): cannot read") }
                fixed.merge(try FixedAddressScript.parse(String(decoding: text, as: UTF8.self), file: externs)) { _, given in given }
            }
            let request = LinkRequest(arch: arch, abi: abi, objects: inputs, archives: archives, qstrs: names,
                                      sourceName: sourceName ?? (output as NSString).lastPathComponent, fixedAddresses: fixed)
            let result = try Linker.link(request)
            for warning in result.warnings { Output.warning(warning) }
            try writeAtomically(NativeModuleWriter.encode(result.image), to: output)
        } catch let error as LinkError {
            Output.error(error.description)
            throw ExitCode.failure
        } catch let error as ELFError {
            Output.error(error.description)
            throw ExitCode.failure
        } catch let error as BuildError {
            Output.error(error.description)
            throw ExitCode.failure
        }
    }
}
