import Inspector

/// What the modules are installed for: a board that said what it loads, or a `--target`.
public struct InstallTarget: Sendable, CustomStringConvertible {
    public var load: LoadTarget
    /// `sys.implementation.version`, when a board was asked.
    public var micropythonVersion: String?

    public init(load: LoadTarget, micropythonVersion: String? = nil) {
        self.load = load
        self.micropythonVersion = micropythonVersion
    }

    /// "x64 code, .mpy ABI 6.3 (MicroPython 1.28.0)".
    public var description: String {
        let code = load.arch.map { "\($0.rawValue) code" } ?? (load.archCode == 0 ? "no native code" : "unknown arch code \(load.archCode)")
        let release = micropythonVersion.map { "MicroPython \($0)" } ?? MPYVersionReleases.releases(version: load.version, subVersion: load.subVersion)
        return "\(code), .mpy ABI \(load.abi) (\(release))"
    }
}
