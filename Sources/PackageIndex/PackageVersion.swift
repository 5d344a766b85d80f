/// A version string as it appears in `package/6/<name>/<version>.json`.
public enum PackageVersion {
    public static let defaultVersion = "0.0.0"
    static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-+_")

    /// Version strings become file names on every static host: keep them plain.
    public static func validate(_ version: String) throws(IndexError) {
        guard !version.isEmpty, version.count <= 64, version != "latest", version != ".", version != "..",
              !version.hasPrefix("."), version.allSatisfy({ allowed.contains($0) }) else {
            throw .badVersion(version)
        }
    }
}
