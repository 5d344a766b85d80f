/// The keys module.toml may have, per table (documented in docs/module-toml.md).
enum ManifestSchema {
    static let topKeys = ["name", "sources", "include", "defines", "cflags", "externs", "libraries", "float", "variants", "arch"]
    static let variantKeys = ["name", "defines"]
    static let archKeys = ["sources", "defines", "cflags", "float"]
}
