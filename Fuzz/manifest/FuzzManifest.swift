// libFuzzer target: a module.toml that `mpyforge build` reads from a module directory.
// The bytes are decoded as ModuleDiscovery does (invalid UTF-8 becomes U+FFFD).
import BuildSystem

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        let manifest = try ManifestParser.parse(text, directory: "fuzz", file: "fuzz/module.toml")
        _ = manifest.outputs
    } catch {
        // Lines may hold anything the user wrote; the message itself must name the file.
        fuzzCheck("\(error)".hasPrefix("fuzz/module.toml"), "error does not name the file: \(error)")
    }
    return 0
}
