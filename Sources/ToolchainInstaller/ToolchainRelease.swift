/// One vendor toolchain release in the table (toolchains.json): what it compiles for, where
/// its compilers sit inside the unpacked archive, and the archive per host platform.
public struct ToolchainRelease: Codable, Sendable, Hashable {
    public var name: String
    public var version: String
    public var vendor: String
    /// The vendor's published list the URLs and digests were copied from.
    public var source: String
    public var arches: [String]
    /// Compiler per arch, relative to the archive's top directory.
    public var compilers: [String: String]
    /// Archive per host platform key (see `HostPlatform`).
    public var downloads: [String: ToolchainDownload]
    /// How to get a compiler without this download, for errors.
    public var alternative: String

    /// The cache directory name: name and version, like the vendor's own archive names.
    public var directoryName: String { "\(name)-\(version)" }
}
