import Foundation

/// `mpyforge new`: copies Templates/natmod with {{name}} replaced in file names and contents.
public enum ModuleTemplate {
    public enum TemplateError: Error, CustomStringConvertible {
        case templateMissing(String)
        case exists(String)
        public var description: String {
            switch self {
            case .templateMissing(let path): return "template not found at \(path)"
            case .exists(let path): return "\(path) already exists; choose another name or remove it"
            }
        }
    }

    public static func instantiate(name: String, into parent: String) throws -> String {
        guard let root = InstallLayout.resourceRoot else { throw TemplateError.templateMissing("Templates/natmod") }
        let template = "\(root)/Templates/natmod"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: template)) ?? []
        guard !files.isEmpty else { throw TemplateError.templateMissing(template) }
        let destination = "\(parent)/\(name)"
        guard !FileManager.default.fileExists(atPath: destination) else { throw TemplateError.exists(destination) }
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        for file in files.sorted() {
            guard let data = FileManager.default.contents(atPath: "\(template)/\(file)") else { continue }
            let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "{{name}}", with: name)
            try writeAtomically(Array(text.utf8), to: "\(destination)/\(file.replacingOccurrences(of: "{{name}}", with: name))")
        }
        return destination
    }
}
