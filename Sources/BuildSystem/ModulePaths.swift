import Foundation

/// Paths as modules give them: absolute as written, or relative to a directory.
enum ModulePaths {
    /// A module's path setting: absolute as given, or relative to the module directory.
    static func path(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : "\(directory)/\(path)"
    }

    /// Relative to the current directory; compilers and make run elsewhere.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }
}
