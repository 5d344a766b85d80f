import MPYFormat

/// A module's build description, from its `module.toml` (or an upstream natmod Makefile).
public struct ModuleManifest: Sendable, Equatable {
    /// One .mpy built from the module's sources: the module itself, or a named variant
    /// (e.g. emlearn_cnn_fp32 and emlearn_cnn_int8 from one emlearn_cnn source).
    public struct Variant: Sendable, Equatable {
        public var name: String
        public var defines: [String]
    }

    public var name: String
    public var directory: String
    /// C sources and .py parts, relative to `directory`.
    public var sources: [String]
    /// Include directories: paths relative to `directory`, or a known package name ("emlearn").
    public var includes: [String]
    public var defines: [String]
    public var cflags: [String]
    public var variants: [Variant]
    /// Extra compiler flags per arch ([arch.armv6m] cflags = [...]).
    public var archCFlags: [NativeArch: [String]]
    /// A linker script of fixed-address (ROM) symbols, relative to `directory`.
    public var externs: String? = nil

    public var cSources: [String] { sources.filter { $0.hasSuffix(".c") || $0.hasSuffix(".S") } }
    public var pythonSources: [String] { sources.filter { $0.hasSuffix(".py") } }

    /// The .mpy files this module yields: its variants, or itself when it has none.
    public var outputs: [Variant] {
        variants.isEmpty ? [Variant(name: name, defines: [])] : variants
    }
}
