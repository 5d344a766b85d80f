/// The root index.json: every package, version and target with sizes and hashes, so tools
/// and people can see what is published without walking the tree.
public struct IndexCatalog: Codable, Equatable, Sendable {
    public static let currentFormat = 1
    public static let fileName = "index.json"

    public var format: Int = IndexCatalog.currentFormat
    public var generator: String = "mpyforge"
    /// The version of the mpyforge that wrote this index last (absent in indexes written
    /// before it was recorded).
    public var generatorVersion: String?
    public var baseURL: String?
    public var installer: CatalogFile?
    public var targets: [String: CatalogTarget] = [:]
    public var packages: [String: CatalogPackage] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case format, generator, generatorVersion = "generator_version", baseURL = "base_url", installer, targets, packages
    }
}

/// What a person needs to know about one `<arch>_<abi>` directory.
public struct CatalogTarget: Codable, Equatable, Sendable {
    public var arch: String
    public var abi: String
    public var boards: String
    public var micropython: String
    /// The bundle package.json installing every module of this target, relative to the root.
    public var bundle: String
}

/// One package: the version published last, per target and overall, and every version kept.
public struct CatalogPackage: Codable, Equatable, Sendable {
    public var latest: String
    public var latestByTarget: [String: String]
    /// version -> target name -> build.
    public var versions: [String: [String: CatalogFile]]

    enum CodingKeys: String, CodingKey {
        case latest, latestByTarget = "latest_by_target", versions
    }
}

/// One published file: where it is (relative to the root), its size and SHA-256.
public struct CatalogFile: Codable, Equatable, Sendable {
    public var path: String
    public var size: Int
    public var sha256: String

}
