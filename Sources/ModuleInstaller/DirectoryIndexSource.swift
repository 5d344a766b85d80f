import Foundation

/// An index in a local directory, as `mpyforge publish` wrote it: for installing into a
/// folder (`--target`) without a server.
public struct DirectoryIndexSource: IndexSource {
    public let address: String
    public var isWebAddress: Bool { false }

    public init(directory: String) {
        address = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    public func fetch(_ relativePath: String) throws(InstallError) -> [UInt8]? {
        let path = url(of: relativePath)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreachable(url: path, detail: "unreadable") }
        return [UInt8](data)
    }
}
