import Foundation

/// The arch-picking installer's source, Templates/index/mpyforge_install.py, and how
/// publish fills in its two placeholders.
public enum InstallerTemplate {
    public static let relativePath = "Templates/index/mpyforge_install.py"
    static let baseURLPlaceholder = "{{base_url}}"
    static let targetsPlaceholder = "{{targets}}"

    /// $MPYFORGE_TEMPLATES/index/mpyforge_install.py if set, else the one under
    /// `resourceRoot` (mpyforge's installed or checkout files, which the caller locates).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              resourceRoot: String?) -> String? {
        let path: String
        if let explicit = environment["MPYFORGE_TEMPLATES"] {
            path = "\(explicit)/index/mpyforge_install.py"
        } else if let resourceRoot {
            path = "\(resourceRoot)/\(relativePath)"
        } else {
            return nil
        }
        return FileTree.exists(path) ? path : nil
    }

    public static func load(_ path: String) throws(IndexError) -> String {
        String(decoding: try FileTree.read(path), as: UTF8.self)
    }

    /// The base URL goes inside a Python string literal; publish has already refused quotes,
    /// backslashes and spaces in it.
    static func render(_ template: String, baseURL: String?, targets: [IndexTarget]) -> String {
        template
            .replacingOccurrences(of: baseURLPlaceholder, with: baseURL ?? "")
            .replacingOccurrences(of: targetsPlaceholder, with: targets.map(\.name).joined(separator: " "))
    }
}
