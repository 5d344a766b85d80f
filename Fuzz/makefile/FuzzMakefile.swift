// libFuzzer target: the natmod Makefile front end. Each input is written as the Makefile of
// a module directory (beside a small m.c) and read the way `mpyforge build DIR` reads it:
// GNU make evaluates it against mpyforge's own py/dynruntime.mk, for two arches.
//
// Checks beyond "no crash": a module name that comes out is a Python identifier (it names
// the output file, so '../x' must never pass); every arch has sources or a reason; an error
// is one message that names the Makefile; no make run outlives its deadline.
//
// $(shell ...) runs through SHELL=/bin/false here, given on make's command line (which a
// Makefile cannot override): mutated inputs run no commands on the fuzzing machine.
import BuildSystem
import Foundation
import MPYFormat

let fuzzRoot: String = {
    let root = NSTemporaryDirectory() + "mpyforge-fuzz-makefile-\(getpid())"
    try? FileManager.default.createDirectory(atPath: "\(root)/module", withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: "\(root)/module/m.c", contents: Data("int m;\n".utf8))
    return root
}()

let fuzzContext: MakefileContext = {
    let sdk = ProcessInfo.processInfo.environment["FUZZ_SDK"] ?? FileManager.default.currentDirectoryPath + "/CModules/sdk"
    var context = MakefileContext(arches: [.x64, .armv6m], variables: ["SHELL=/bin/false"],
                                  scratchDirectory: "\(fuzzRoot)/scratch", sdkDirectory: sdk)
    context.makeTimeout = 5
    return context
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMakefile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let directory = "\(fuzzRoot)/module"
    let makefile = "\(directory)/Makefile"
    guard FileManager.default.createFile(atPath: makefile, contents: Data(bytes)) else { return 0 }
    do {
        guard let manifest = try NatmodMakefile(directory: directory, context: fuzzContext).manifest() else { return 0 }
        fuzzCheck(ManifestParser.isIdentifier(manifest.name) && !manifest.name.contains("/"), "module name '\(manifest.name)' is not an identifier")
        for arch in fuzzContext.arches {
            let settings = manifest.arch[arch]
            fuzzCheck(settings != nil, "no settings for \(arch)")
            fuzzCheck(!(settings?.sources.isEmpty ?? true) || settings?.unavailable != nil, "\(arch): no sources and no reason")
        }
    } catch let error as MakefileError {
        let text = "\(error)"
        fuzzCheck(text.hasPrefix(makefile) || text.hasPrefix("\(fuzzRoot)/"), "error does not name the Makefile: \(text)")
    } catch {
        fuzzCheck("\(error)".contains(fuzzRoot), "unexpected error: \(error)")
    }
    return 0
}
