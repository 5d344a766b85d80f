import Foundation

/// The arch-picking installer's source, Templates/index/mpyforge_install.py, and how
/// publish fills in its two placeholders.
public enum InstallerTemplate {
    public static let relativePath = "Templates/index/mpyforge_install.py"
    static let baseURLPlaceholder = "{{base_url}}"
    static let targetsPlaceholder = "{{targets}}"
    /// The template's first line: how a served file is recognised as the installer.
    static let header = "# mpyforge_install:"

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
    /// backslashes and spaces in it. One pass over the template: a value that itself contains
    /// a placeholder (a base URL ending in "/{{targets}}/") is inserted as written, not expanded.
    static func render(_ template: String, baseURL: String?, targets: [IndexTarget]) -> String {
        let values = [baseURLPlaceholder: baseURL ?? "", targetsPlaceholder: targets.map(\.name).joined(separator: " ")]
        var output = ""
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            let tail = rest[open.lowerBound...]
            if let placeholder = values.keys.first(where: { tail.hasPrefix($0) }) {
                output += values[placeholder]!
                rest = tail.dropFirst(placeholder.count)
            } else {
                output += "{{"
                rest = tail.dropFirst(2)
            }
        }
        return output + rest
    }
}
