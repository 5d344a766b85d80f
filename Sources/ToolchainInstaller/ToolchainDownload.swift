/// One archive: where it is, its SHA-256 and (when the vendor lists it) its size in bytes.
public struct ToolchainDownload: Codable, Sendable, Hashable {
    public var url: String
    public var sha256: String
    public var size: Int64?

    public init(url: String, sha256: String, size: Int64? = nil) {
        self.url = url
        self.sha256 = sha256
        self.size = size
    }

    /// The archive's file name, which also says how it is packed (.tar.xz, .tar.gz, .zip).
    public var fileName: String {
        String(url.split(separator: "/").last ?? Substring(url))
    }
}
