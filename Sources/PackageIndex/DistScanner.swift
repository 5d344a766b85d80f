import Foundation
import MPYFormat

/// Finds the modules `mpyforge build` wrote: `<dist>/<arch>_<abi>/<name>.mpy`, each checked
/// to be a native .mpy whose header agrees with the directory it sits in.
public enum DistScanner {
    public static func scan(_ dist: String) throws(IndexError) -> [DistModule] {
        var modules: [DistModule] = []
        for entry in try FileTree.entries(of: dist) where !entry.hasPrefix(".") {
            let directory = "\(dist)/\(entry)"
            guard FileTree.isDirectory(directory) else { continue }
            guard let target = IndexTarget(directoryName: entry) else { throw .badTargetDirectory(path: directory) }
            for file in try FileTree.entries(of: directory) where file.hasSuffix(".mpy") {
                modules.append(try readModule("\(directory)/\(file)", target: target))
            }
        }
        guard !modules.isEmpty else { throw .emptyDist(path: dist) }
        return modules.sorted { ($0.target, $0.name) < ($1.target, $1.name) }
    }

    static func readModule(_ path: String, target: IndexTarget) throws(IndexError) -> DistModule {
        let name = String((path as NSString).lastPathComponent.dropLast(".mpy".count))
        guard ModuleName.isValid(name) else { throw .badModuleName(path: path) }
        let bytes = try FileTree.read(path)
        let header: MPYHeader
        do { header = try MPYReader.read(bytes).header } catch { throw .notAModule(path: path, detail: "\(error)") }
        guard let arch = header.arch else {
            throw .notAModule(path: path, detail: "arch is \(NativeArch.describe(code: header.archCode))")
        }
        let found = IndexTarget(arch: arch, abi: header.abi)
        guard found == target else { throw .wrongDirectory(path: path, header: found.name, directory: target.name) }
        return DistModule(name: name, target: target, path: path, bytes: bytes)
    }
}
