import MPYFormat
import Toolchain

/// A module's build description, from its `module.toml` or a natmod Makefile.
public struct ModuleManifest: Sendable, Equatable {
    /// One .mpy built from the module's sources: the module itself, or a named variant
    /// (e.g. emlearn_cnn_fp32 and emlearn_cnn_int8 from one emlearn_cnn source).
    public struct Variant: Sendable, Equatable {
        public var name: String
        public var defines: [String]
        public init(name: String, defines: [String]) {
            self.name = name
            self.defines = defines
        }
    }

    /// What one arch adds to the module's common settings ([arch.NAME] in module.toml; the
    /// values make gave for that ARCH for a Makefile).
    public struct ArchSettings: Sendable, Equatable {
        public var sources: [String] = []
        public var defines: [String] = []
        public var cflags: [String] = []
        public var floatImplementation: ArchProfile.FloatImplementation? = nil
        /// A linker script of fixed-address symbols for this arch (a Makefile's MPY_EXTERN_SYM_FILE).
        public var externs: String? = nil
        /// Why this arch cannot be built (the Makefile stopped with an error for it).
        public var unavailable: String? = nil
        public init(sources: [String] = [], defines: [String] = [], cflags: [String] = [],
                    floatImplementation: ArchProfile.FloatImplementation? = nil, unavailable: String? = nil) {
            self.sources = sources
            self.defines = defines
            self.cflags = cflags
            self.floatImplementation = floatImplementation
            self.unavailable = unavailable
        }
    }

    public var name: String
    public var directory: String
    /// C sources and .py parts, relative to `directory`, for every arch.
    public var sources: [String]
    /// Include directories: paths relative to `directory`, or a known package name ("emlearn").
    public var includes: [String]
    public var defines: [String]
    public var cflags: [String]
    public var variants: [Variant]
    /// Per-arch additions.
    public var arch: [NativeArch: ArchSettings] = [:]
    /// A linker script of fixed-address (ROM) symbols, relative to `directory`.
    public var externs: String? = nil
    /// Static archives (.a) to offer the linker, relative to `directory`, after the module's
    /// objects and before the compiler's runtime libraries.
    public var libraries: [String] = []
    /// The float type for every arch (`float = false` gives none); nil: the arch's own.
    public var floatImplementation: ArchProfile.FloatImplementation? = nil
    /// A MicroPython checkout to compile against instead of mpyforge's SDK: the Makefile's
    /// MPY_DIR when the sources include MicroPython internals (extmod/...).
    public var micropythonDirectory: String? = nil
    /// The file this manifest was read from, for messages.
    public var file: String = ""

    public init(name: String, directory: String, sources: [String], includes: [String] = [], defines: [String] = [],
                cflags: [String] = [], variants: [Variant] = []) {
        self.name = name
        self.directory = directory
        self.sources = sources
        self.includes = includes
        self.defines = defines
        self.cflags = cflags
        self.variants = variants
    }

    /// C (and assembly) sources and .py parts for one arch.
    public func sources(for arch: NativeArch) -> [String] { sources + (self.arch[arch]?.sources ?? []) }
    public func cSources(for arch: NativeArch) -> [String] {
        sources(for: arch).filter { $0.hasSuffix(".c") || $0.hasSuffix(".S") }
    }
    public func pythonSources(for arch: NativeArch) -> [String] { sources(for: arch).filter { $0.hasSuffix(".py") } }
    public func floatImplementation(for arch: NativeArch) -> ArchProfile.FloatImplementation? {
        self.arch[arch]?.floatImplementation ?? floatImplementation
    }

    /// Every source, whatever the arch (for fingerprints and checks).
    public var allSources: [String] {
        var seen = Set<String>()
        return (sources + arch.keys.sorted { $0.rawValue < $1.rawValue }.flatMap { arch[$0]!.sources })
            .filter { seen.insert($0).inserted }
    }

    /// The .mpy files this module yields: its variants, or itself when it has none.
    public var outputs: [Variant] {
        variants.isEmpty ? [Variant(name: name, defines: [])] : variants
    }
}
