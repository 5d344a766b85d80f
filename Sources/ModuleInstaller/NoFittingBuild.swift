import Inspector
import MPYFormat
import PackageIndex

/// Why none of a package's published builds loads on the target: one line per build
/// (wrong arch, wrong ABI) and what would fix it.
public struct NoFittingBuild: Equatable, Sendable, CustomStringConvertible {
    public var package: String
    public var version: String?
    public var target: String
    /// build name -> why it does not load.
    public var reasons: [(build: String, reason: String)]
    public var fix: String

    public static func == (lhs: NoFittingBuild, rhs: NoFittingBuild) -> Bool { lhs.description == rhs.description }

    init(package: String, version: String?, builds: [IndexTarget], for target: InstallTarget) {
        self.package = package
        self.version = version
        self.target = target.description
        let load = target.load
        reasons = builds.sorted().map { build in
            (build.name, Self.reason(build, load))
        }
        if load.archCode == 0 {
            fix = "this firmware was built without native code support: flash one with native code (MICROPY_EMIT_* in the board config), or use a pure-Python module"
        } else if let arch = load.arch, ABIVersion.supported.contains(load.abi) {
            fix = "the maintainer can add it: mpyforge build --arch \(arch.rawValue) --abi \(load.abi), then mpyforge publish"
        } else if load.arch == nil {
            fix = "mpyforge cannot build native code for \(NativeArch.describe(code: load.archCode))"
        } else {
            let supported = ABIVersion.supported.map { "\($0) (\($0.micropythonReleases))" }.joined(separator: ", ")
            fix = "mpyforge builds ABI \(supported); update the board's MicroPython"
        }
    }

    private static func reason(_ build: IndexTarget, _ load: LoadTarget) -> String {
        let sameABI = LoadTarget(version: build.abi.version, subVersion: build.abi.subVersion, archCode: load.archCode, archFlags: nil)
        let archFits = CompatibilityChecker.suitableBuilds(for: sameABI).contains(build.name)
        if !archFits {
            let runs = load.arch?.rawValue ?? NativeArch.describe(code: load.archCode)
            return "\(build.arch.rawValue) code, which a target running \(runs) code cannot load"
        }
        let needs = MPYVersionReleases.releases(version: load.version, subVersion: load.subVersion)
        return "ABI \(build.abi) is for \(build.abi.micropythonReleases); the target needs ABI \(load.abi) (\(needs))"
    }

    public var description: String {
        let what = version.map { "\(package) \($0)" } ?? package
        var lines = ["no build of \(what) fits: the target runs \(target)"]
        lines += reasons.map { "  \($0.build): \($0.reason)" }
        lines.append("fix: \(fix)")
        return lines.joined(separator: "\n")
    }
}
