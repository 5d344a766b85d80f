import Foundation

/// Finds modules: a directory with module.toml (or a natmod Makefile) is one module; a
/// directory without one is searched one level down (CModules/ holds one module per
/// subdirectory).
public enum ModuleDiscovery {
    public static func modules(in directory: String, makefiles: MakefileContext) throws -> [ModuleManifest] {
        let path = (ModulePaths.absolute(directory) as NSString).standardizingPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ManifestError.notADirectory(path: path)
        }
        if let manifest = try manifest(at: path, makefiles: makefiles, named: true) { return [manifest] }
        let children = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        let found = try children.compactMap { try manifest(at: "\(path)/\($0)", makefiles: makefiles, named: false) }
        guard !found.isEmpty else { throw ManifestError.notAModule(directory: path) }
        return found
    }

    /// `named`: the user gave this directory; a Makefile that is not a natmod one is then an
    /// error, where in a scanned subdirectory it only means "not a module".
    static func manifest(at directory: String, makefiles: MakefileContext, named: Bool) throws -> ModuleManifest? {
        let file = "\(directory)/\(ManifestParser.fileName)"
        if let data = FileManager.default.contents(atPath: file) {
            let manifest = try ManifestParser.parse(String(decoding: data, as: UTF8.self), directory: directory, file: file)
            // module.toml sources stay inside the module. A Makefile's may not: upstream natmods
            // compile files of a MicroPython checkout or of a project's dependencies.
            try ModuleSources.validate(manifest, file: file)
            return manifest
        }
        let makefile = "\(directory)/\(NatmodMakefile.fileName)"
        guard let data = FileManager.default.contents(atPath: makefile) else { return nil }
        // Make is run only on Makefiles that include something (dynruntime.mk, or a file that does).
        guard String(decoding: data, as: UTF8.self).contains("include") else {
            if named { throw MakefileError.notNatmod(makefile: makefile) }
            return nil
        }
        let manifest = try NatmodMakefile(directory: directory, context: makefiles).manifest()
        if manifest == nil, named { throw MakefileError.notNatmod(makefile: makefile) }
        return manifest
    }
}
