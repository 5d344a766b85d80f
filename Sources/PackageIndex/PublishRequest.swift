/// What `mpyforge publish` was asked to do.
public struct PublishRequest: Sendable {
    public var dist: String
    public var index: String
    public var version: String
    /// Where the index will be served from, e.g. https://example.github.io/mods; used in
    /// index.html's commands and baked into the installer. Without it the page works out
    /// the address in the browser and the installer needs `base=`.
    public var baseURL: String?
    /// The text of Templates/index/mpyforge_install.py.
    public var installerTemplate: String
    /// The publishing tool's version, recorded in index.json as generator_version.
    public var generatorVersion: String?

    public init(dist: String, index: String, version: String = PackageVersion.defaultVersion,
                baseURL: String? = nil, installerTemplate: String, generatorVersion: String? = nil) {
        self.dist = dist
        self.index = index
        self.version = version
        self.baseURL = baseURL
        self.installerTemplate = installerTemplate
        self.generatorVersion = generatorVersion
    }
}

/// What a publish wrote.
public struct PublishResult: Sendable {
    public struct Entry: Sendable {
        public var name: String
        public var target: IndexTarget
        public var size: Int
        public var hash: String
    }

    public var index: String
    public var version: String
    public var entries: [Entry]
    public var targets: [IndexTarget]
}
