/// Why publishing, verifying or serving an index failed.
public enum IndexError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, detail: String)
    case unwritable(path: String, detail: String)
    case emptyDist(path: String)
    case notAModule(path: String, detail: String)
    case wrongDirectory(path: String, header: String, directory: String)
    case badTargetDirectory(path: String)
    case badVersion(String)
    case badBaseURL(String)
    case badModuleName(path: String)
    case notAnIndex(path: String)
    case badCatalog(path: String, detail: String)
    case hashCollision(path: String)
    case locked(path: String)
    case stagedIndexInvalid(problems: [String])
    case danglingLink(path: String, target: String)
    case linkInsideIndex(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let detail): return "\(path): cannot read: \(detail)"
        case .unwritable(let path, let detail): return "\(path): cannot write: \(detail)"
        case .emptyDist(let path): return "\(path): no <arch>_<abi>/<module>.mpy files to publish"
        case .notAModule(let path, let detail): return "\(path): not a native .mpy: \(detail)"
        case .wrongDirectory(let path, let header, let directory):
            return "\(path): header says \(header) but the file is under \(directory)"
        case .badTargetDirectory(let path):
            return "\(path): not an <arch>_<abi> directory (e.g. x64_6.3)"
        case .badVersion(let version):
            return "version '\(version)': use letters, digits, '.', '-', '+' or '_' (and not 'latest')"
        case .badBaseURL(let url): return "--base-url \(url): use an http:// or https:// address without spaces or quotes"
        case .badModuleName(let path): return "\(path): module names are letters, digits and '_'"
        case .notAnIndex(let path): return "\(path): exists, is not empty and has no index.json; refusing to overwrite it"
        case .badCatalog(let path, let detail): return "\(path): \(detail)"
        case .hashCollision(let path): return "\(path): two different files share this short hash"
        case .locked(let path): return "\(path): another publish holds the lock"
        case .danglingLink(let path, let target):
            return "\(path): is a symbolic link to '\(target)', which does not exist; create that directory or publish to a real path"
        case .linkInsideIndex(let path):
            return "\(path): is a symbolic link inside the index; an index holds only directories and files, and publish does not write through links (replace it with the file it points to)"
        case .stagedIndexInvalid(let problems):
            return "the new index failed verification, the old one is untouched:\n  " + problems.joined(separator: "\n  ")
        }
    }
}
