/// Where everything lives in an index, as paths relative to its root.
public enum IndexLayout {
    public static let catalog = IndexCatalog.fileName
    public static let page = "index.html"
    /// Served by GitHub Pages (and others) for every missing path: says which level is a mip index.
    public static let notFoundPage = "404.html"
    public static let installerModule = "mpyforge_install"
    public static let installer = "\(installerModule).py"
    /// The root package.json: `mip.install("<base>/")` installs the installer.
    public static let rootBundle = "package.json"
    /// GitHub Pages would otherwise run Jekyll over the tree.
    public static let noJekyll = ".nojekyll"
    /// mip asks for `package/py/...` when told `mpy=False` or when the device has no `_mpy`.
    public static let sourceSegment = "py"

    public static func bundle(_ target: IndexTarget) -> String { "\(target.name)/package.json" }

    public static func plainModule(_ target: IndexTarget, _ name: String) -> String { "\(target.name)/\(name).mpy" }

    public static func mipPackage(_ target: IndexTarget, _ name: String, _ version: String) -> String {
        "\(target.name)/package/\(target.mipVersionSegment)/\(name)/\(version).json"
    }

    public static func content(_ target: IndexTarget, _ hash: String) -> String {
        "\(target.name)/\(mipFile(hash))"
    }

    /// Where mip looks for content by hash, under an index root.
    public static let contentDirectory = "file"

    /// `file/<h2>/<short hash>` under an index root, as mip builds it.
    public static func mipFile(_ hash: String) -> String {
        let short = String(hash.prefix(ContentHash.shortLength))
        return "\(contentDirectory)/\(short.prefix(2))/\(short)"
    }
}
