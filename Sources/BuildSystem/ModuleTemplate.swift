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

    public static func instantiate(name: String, into parent: String, ci: [CITemplate] = []) throws -> String {
        guard let root = InstallLayout.resourceRoot else { throw TemplateError.templateMissing("Templates/natmod") }
        let template = "\(root)/Templates/natmod"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: template)) ?? []
        guard !files.isEmpty else { throw TemplateError.templateMissing(template) }
        let destination = "\(parent)/\(name)"
        guard !FileManager.default.fileExists(atPath: destination) else { throw TemplateError.exists(destination) }
        // Every template must be there before anything is written.
        let workflows = try ci.map { workflow in
            let path = "\(root)/Templates/\(workflow.source)"
            guard let data = FileManager.default.contents(atPath: path) else { throw TemplateError.templateMissing(path) }
            return (workflow.destination, data)
        }
        guard mkdir(destination, 0o755) == 0 || errno == ENOENT && mkdirParents(destination) else {
            throw TemplateError.cannotCreate(destination, reason: String(cString: strerror(errno)))
        }
        for file in files.sorted() {
            guard let data = FileManager.default.contents(atPath: "\(template)/\(file)") else { continue }
            try write(data, name: name, to: "\(destination)/\(file.replacingOccurrences(of: "{{name}}", with: name))")
        }
        for (relative, data) in workflows {
            let path = "\(destination)/\(relative)"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try write(data, name: name, to: path)
        }
        return destination
    }

    private static func write(_ template: Data, name: String, to path: String) throws {
        let text = String(decoding: template, as: UTF8.self).replacingOccurrences(of: "{{name}}", with: name)
        try writeAtomically(Array(text.utf8), to: path)
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
