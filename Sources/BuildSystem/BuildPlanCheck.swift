/// Checks a set of modules before anything is built: every output name must be unique,
/// since it names both the .mpy in dist/ and the module's work directory.
public enum BuildPlanCheck {
    public static func check(_ modules: [ModuleManifest]) throws {
        var owner: [String: String] = [:]
        for module in modules {
            let where_ = module.file.isEmpty ? module.directory : module.file
            if module.variants.contains(where: { $0.name == module.name }) {
                throw ManifestError.variantNamedLikeBase(file: where_, name: module.name)
            }
            for output in module.outputs {
                if let first = owner[output.name] {
                    throw ManifestError.duplicateName(name: output.name, first: first, second: where_)
                }
                owner[output.name] = where_
            }
        }
    }
}
