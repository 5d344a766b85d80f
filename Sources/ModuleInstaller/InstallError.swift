/// Why `mpyforge install` could not install, each naming the address, package or board
/// involved and, where there is one, the fix.
public enum InstallError: Error, CustomStringConvertible, Equatable {
    case badIndexAddress(String)
    case unreachable(url: String, detail: String)
    case httpStatus(url: String, status: Int)
    case notAnIndex(address: String)
    case badCatalog(url: String, detail: String)
    case badPackageRequest(String)
    case unknownPackage(name: String, address: String, available: [String])
    case unknownVersion(name: String, version: String, available: [String])
    case noFittingBuild(NoFittingBuild)
    case badPackageJSON(url: String, detail: String)
    case hashMismatch(url: String, expected: String, found: String)
    case unwritable(path: String, detail: String)
    case mpremoteFailed(status: Int32)

    public var description: String {
        switch self {
        case .badIndexAddress(let text):
            return "--index \(text): give the index root, an http:// or https:// address (or a local directory `mpyforge publish` wrote)"
        case .unreachable(let url, let detail): return "\(url): cannot fetch: \(detail)"
        case .httpStatus(let url, let status): return "\(url): the server answered \(status)"
        case .notAnIndex(let address):
            return "\(address)/index.json is missing: \(address) is not the root of an mpyforge index (give the address `mpyforge publish --base-url` named, or the one `mpyforge serve` printed)"
        case .badCatalog(let url, let detail): return "\(url): not an mpyforge index.json (\(detail))"
        case .badPackageRequest(let text): return "'\(text)': give NAME or NAME@VERSION, e.g. emlearn_trees or emlearn_trees@0.2.0"
        case .unknownPackage(let name, let address, let available):
            return "\(address) has no package \(name); it has: \(available.joined(separator: ", "))"
        case .unknownVersion(let name, let version, let available):
            return "\(name) has no version \(version); published versions: \(available.joined(separator: ", "))"
        case .noFittingBuild(let explanation): return explanation.description
        case .badPackageJSON(let url, let detail): return "\(url): not a mip package description (\(detail))"
        case .hashMismatch(let url, let expected, let found):
            return "\(url): content hash \(found) is not the published \(expected); the index is damaged (run `mpyforge verify` on it)"
        case .unwritable(let path, let detail): return "\(path): cannot write: \(detail)"
        case .mpremoteFailed(let status): return "mpremote mip exited with status \(status) (its output is above)"
        }
    }
}
