import Foundation

/// Where the running mpyforge and its run-time files are. Two layouts exist:
/// - installed (the wheel, or any prefix): `<prefix>/bin/mpyforge` with the SDK headers and
///   templates in `<prefix>/share/mpyforge/{CModules/sdk,Templates}`;
/// - a checkout: `.build/<config>/mpyforge` somewhere below the repository root, which holds
///   CModules/sdk and Templates itself.
public enum InstallLayout {
    /// Relative to the binary's directory, where an installed copy keeps its files.
    public static let sharedFiles = "../share/mpyforge"

    /// The binary itself, symlinks resolved. argv[0] is only a name when mpyforge was found
    /// on PATH, so Linux's /proc/self/exe comes first.
    public static let executable: String = {
        if let resolved = realPath("/proc/self/exe") { return resolved }
        return realPath(CommandLine.arguments[0]) ?? CommandLine.arguments[0]
    }()

    /// The directory holding CModules/sdk and Templates: the installed share directory, else
    /// the nearest checkout above the binary, else above the current directory.
    public static let resourceRoot: String? = {
        let binary = (executable as NSString).deletingLastPathComponent
        if let installed = realPath("\(binary)/\(sharedFiles)"), holdsResources(installed) { return installed }
        for start in [binary, FileManager.default.currentDirectoryPath] {
            var directory = start
            for _ in 0..<8 {
                if holdsResources(directory) { return directory }
                let parent = (directory as NSString).deletingLastPathComponent
                if parent == directory { break }
                directory = parent
            }
        }
        return nil
    }()

    static func holdsResources(_ directory: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(directory)/CModules/sdk")
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
