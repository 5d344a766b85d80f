import Foundation

/// `mpyforge new`: copies Templates/natmod with {{name}} replaced in file names and contents.
public enum ModuleTemplate {
    public enum TemplateError: Error, CustomStringConvertible {
        case templateMissing(String)
        case exists(String)
        case cannotCreate(String, reason: String)
        public var description: String {
            switch self {
            case .templateMissing(let path): return "template not found at \(path)"
            case .exists(let path): return "\(path) already exists; choose another name or remove it"
            case .cannotCreate(let path, let reason): return "\(path): cannot create the module directory: \(reason)"
            }
        }
    }

    public static func instantiate(name: String, into parent: String) throws -> String {
        guard let root = BuildEnvironment.repositoryRoot() else { throw TemplateError.templateMissing("Templates/natmod") }
        let template = "\(root)/Templates/natmod"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: template)) ?? []
        guard !files.isEmpty else { throw TemplateError.templateMissing(template) }
        let destination = "\(parent)/\(name)"
        guard !FileManager.default.fileExists(atPath: destination) else { throw TemplateError.exists(destination) }
        guard mkdir(destination, 0o755) == 0 || errno == ENOENT && mkdirParents(destination) else {
            throw TemplateError.cannotCreate(destination, reason: String(cString: strerror(errno)))
        }
        for file in files.sorted() {
            guard let data = FileManager.default.contents(atPath: "\(template)/\(file)") else { continue }
            let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "{{name}}", with: name)
            try writeAtomically(Array(text.utf8), to: "\(destination)/\(file.replacingOccurrences(of: "{{name}}", with: name))")
        }
        return destination
    }

    /// mkdir -p, for when --into does not exist yet; errno tells why it failed.
    private static func mkdirParents(_ path: String) -> Bool {
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty, parent != path else { return false }
        if mkdir(parent, 0o755) != 0 && errno != EEXIST {
            guard errno == ENOENT, mkdirParents(parent) else { return false }
        }
        return mkdir(path, 0o755) == 0
    }
}
