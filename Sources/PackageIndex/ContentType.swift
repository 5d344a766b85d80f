/// Content-Type by file name; mip and mpremote ignore it, browsers do not.
enum ContentType {
    static func of(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { return "application/octet-stream" }
        switch name[name.index(after: dot)...].lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "json": return "application/json"
        case "py", "txt", "md": return "text/plain; charset=utf-8"
        case "css": return "text/css"
        case "js": return "text/javascript"
        default: return "application/octet-stream"
        }
    }
}
