/// A mip package description, the JSON mip and mpremote read: `hashes` entries are
/// [target path, short sha256] fetched from `<index>/file/<h2>/<hash>`, `urls` entries are
/// [target path, URL] with URLs relative to the package.json, `deps` are [name, version].
public struct MipPackage: Codable, Equatable, Sendable {
    public var hashes: [[String]]?
    public var urls: [[String]]?
    public var deps: [[String]]?
    public var version: String

    public init(hashes: [[String]]? = nil, urls: [[String]]? = nil, version: String) {
        self.hashes = hashes
        self.urls = urls
        self.version = version
    }
}
