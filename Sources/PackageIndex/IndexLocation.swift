import Foundation

/// Where an index really lives. The swap at the end of a publish renames directories, so
/// it must act on the directory itself: given a symlink (`site -> real`), staging a copy
/// of the link and exchanging links would have every write go through the link straight
/// into the live tree, and a publish killed part-way would leave a half-new index.
enum IndexLocation {
    /// The index path with every symbolic link resolved (for a path that does not exist
    /// yet: its parent resolved).
    static func resolve(_ path: String) throws(IndexError) -> String {
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        var info = stat()
        if lstat(standardized, &info) == 0 {
            guard let real = realpath(standardized, nil) else {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: standardized)) ?? "?"
                throw .danglingLink(path: standardized, target: target)
            }
            defer { free(real) }
            return String(cString: real)
        }
        let parent = (standardized as NSString).deletingLastPathComponent
        guard let real = realpath(parent, nil) else { return standardized }
        defer { free(real) }
        return (String(cString: real) as NSString).appendingPathComponent((standardized as NSString).lastPathComponent)
    }

    /// The first symbolic link inside an index tree, if any: writes into a copy of the tree
    /// would follow it out of the index.
    static func firstLink(under root: String) -> String? {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return nil }
        var info = stat()
        while let relative = walker.nextObject() as? String {
            if lstat("\(root)/\(relative)", &info) == 0, info.st_mode & S_IFMT == S_IFLNK { return "\(root)/\(relative)" }
        }
        return nil
    }
}
