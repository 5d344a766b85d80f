/// An installed toolchain and the release it came from.
public struct InstalledToolchainSummary: Sendable {
    public let release: ToolchainRelease
    public let directory: String
    public let downloadedBytes: Int64
}
