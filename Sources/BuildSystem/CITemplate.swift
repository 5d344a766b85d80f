/// Continuous-integration workflows `mpyforge new --ci` can add to a module: where each
/// template lives under Templates/ and where it goes in the module.
public enum CITemplate: String, CaseIterable, Sendable {
    case github

    /// Relative to the repository's Templates directory.
    var source: String {
        switch self {
        case .github: return "ci/github/mpyforge.yml"
        }
    }

    /// Relative to the new module, which is meant to be a repository's root.
    public var destination: String {
        switch self {
        case .github: return ".github/workflows/mpyforge.yml"
        }
    }
}
