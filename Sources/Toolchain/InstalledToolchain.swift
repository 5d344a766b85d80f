import MPYFormat

/// A toolchain `mpyforge toolchain install` unpacked into the cache, as its receipt
/// (`.mpyforge-toolchain.json` at the top of its directory) describes it.
public struct InstalledToolchain: Codable, Sendable, Hashable {
    public var name: String
    public var version: String
    /// Compiler per arch, relative to `directory` (e.g. "xtensawin": "bin/xtensa-esp32-elf-gcc").
    public var compilers: [String: String]
    /// Where it was downloaded from and the SHA-256 it was checked against.
    public var url: String
    public var sha256: String
    /// Filled in when read from the cache; not part of the receipt.
    public var directory: String = ""

    enum CodingKeys: String, CodingKey { case name, version, compilers, url, sha256 }

    public init(name: String, version: String, compilers: [String: String], url: String, sha256: String, directory: String = "") {
        self.name = name
        self.version = version
        self.compilers = compilers
        self.url = url
        self.sha256 = sha256
        self.directory = directory
    }

    public var arches: [NativeArch] { compilers.keys.compactMap(NativeArch.init(rawValue:)).sorted() }

    public func compilerPath(for arch: NativeArch) -> String? {
        compilers[arch.rawValue].map { "\(directory)/\($0)" }
    }
}
