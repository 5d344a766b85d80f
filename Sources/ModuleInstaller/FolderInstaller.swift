import Digest
import Foundation
import PackageIndex

/// Installs builds into a local folder, as mip would on a board: the package's
/// `<version>.json` from the build's index, then each file, hash-checked. Everything is
/// fetched and checked before anything is written, and each file lands with a rename.
public struct FolderInstaller {
    public struct Installed: Sendable {
        public var choice: BuildChoice
        public var files: [(path: String, size: Int)]
    }

    public let source: any IndexSource
    public let destination: String

    public init(source: any IndexSource, destination: String) {
        self.source = source
        self.destination = destination
    }

    public func install(_ choices: [BuildChoice]) throws(InstallError) -> [Installed] {
        var fetched: [(BuildChoice, [(String, [UInt8])])] = []
        for choice in choices {
            var seen = Set<String>()
            fetched.append((choice, try files(of: choice.package, version: choice.version, build: choice.build, seen: &seen)))
        }
        do {
            try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: destination, detail: error.localizedDescription)
        }
        var installed: [Installed] = []
        for (choice, files) in fetched {
            for (path, bytes) in files { try write(bytes, to: "\(destination)/\(path)") }
            installed.append(Installed(choice: choice, files: files.map { ("\(destination)/\($0.0)", $0.1.count) }))
        }
        return installed
    }

    /// The files of one package version and of its dependencies (from the same build).
    private func files(of name: String, version: String, build: IndexTarget,
                       seen: inout Set<String>) throws(InstallError) -> [(String, [UInt8])] {
        guard seen.insert(name).inserted else { return [] }
        let specPath = IndexLayout.mipPackage(build, name, version)
        guard let specBytes = try source.fetch(specPath) else { throw .httpStatus(url: source.url(of: specPath), status: 404) }
        let spec: MipPackage
        do { spec = try JSONDecoder().decode(MipPackage.self, from: Data(specBytes)) } catch {
            throw .badPackageJSON(url: source.url(of: specPath), detail: "\(error)")
        }
        var result: [(String, [UInt8])] = []
        for entry in spec.hashes ?? [] {
            guard entry.count == 2, Self.isSafe(entry[0]) else { throw .badPackageJSON(url: source.url(of: specPath), detail: "bad hashes entry \(entry)") }
            let filePath = "\(build.name)/\(IndexLayout.mipFile(entry[1]))"
            guard let bytes = try source.fetch(filePath) else { throw .httpStatus(url: source.url(of: filePath), status: 404) }
            let found = SHA256.hex(bytes)
            guard found.hasPrefix(entry[1].lowercased()) else {
                throw .hashMismatch(url: source.url(of: filePath), expected: entry[1], found: String(found.prefix(entry[1].count)))
            }
            result.append((entry[0], bytes))
        }
        let specDirectory = (specPath as NSString).deletingLastPathComponent
        for entry in spec.urls ?? [] {
            guard entry.count == 2, Self.isSafe(entry[0]), Self.isSafe(entry[1]) else {
                throw .badPackageJSON(url: source.url(of: specPath), detail: "only relative urls within the index are supported: \(entry)")
            }
            let filePath = "\(specDirectory)/\(entry[1])"
            guard let bytes = try source.fetch(filePath) else { throw .httpStatus(url: source.url(of: filePath), status: 404) }
            result.append((entry[0], bytes))
        }
        for dependency in spec.deps ?? [] where !dependency.isEmpty {
            result += try files(of: dependency[0], version: dependency.count > 1 ? dependency[1] : "latest", build: build, seen: &seen)
        }
        return result
    }

    /// A relative path that stays inside the folder.
    private static func isSafe(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.contains("://") && !path.contains("\\")
            && !path.split(separator: "/").contains("..")
    }

    private func write(_ bytes: [UInt8], to path: String) throws(InstallError) {
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unwritable(path: path, detail: error.localizedDescription)
        }
    }
}
