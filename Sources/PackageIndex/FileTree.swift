import Foundation

/// The few file-system operations the index needs, with errors that name the file.
enum FileTree {
    static func entries(of directory: String) throws(IndexError) -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: directory).sorted() } catch {
            throw .unreadable(path: directory, detail: "not a readable directory")
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func read(_ path: String) throws(IndexError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, detail: "missing or unreadable") }
        return [UInt8](data)
    }

    /// Writes a file, creating its directory; inside a staging tree, so no atomic dance here.
    static func write(_ bytes: [UInt8], to path: String) throws(IndexError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw .unwritable(path: path, detail: error.localizedDescription)
        }
    }

    static func write(_ text: String, to path: String) throws(IndexError) { try write(Array(text.utf8), to: path) }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Every regular file under `root`, as paths relative to it, sorted.
    static func allFiles(under root: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if !isDirectory("\(root)/\(relative)") { files.append(relative) }
        }
        return files.sorted()
    }
}
