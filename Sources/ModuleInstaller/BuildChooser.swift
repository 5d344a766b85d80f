import Inspector
import PackageIndex

/// One package resolved to the build and version to install.
public struct BuildChoice: Equatable, Sendable {
    public var package: String
    public var version: String
    public var build: IndexTarget
    /// True when the user asked for the version; mpremote is then given it.
    public var versionRequested: Bool

    public var request: PackageRequest { PackageRequest(name: package, version: versionRequested ? version : nil) }
}

/// Picks, for each package, the best published build the target loads: its own arch first,
/// then older Thumb arches it also runs (CompatibilityChecker's order).
public enum BuildChooser {
    public static func choose(_ request: PackageRequest, in catalog: IndexCatalog, address: String,
                              for target: InstallTarget) throws(InstallError) -> BuildChoice {
        guard let package = catalog.packages[request.name] else {
            throw .unknownPackage(name: request.name, address: address, available: catalog.packages.keys.sorted())
        }
        let suitable = CompatibilityChecker.suitableBuilds(for: target.load)
        let published: [String: String]
        if let version = request.version {
            guard let builds = package.versions[version] else {
                throw .unknownVersion(name: request.name, version: version, available: package.versions.keys.sorted())
            }
            published = builds.mapValues { _ in version }
        } else {
            published = package.latestByTarget
        }
        for name in suitable {
            if let version = published[name], let build = IndexTarget(directoryName: name) {
                return BuildChoice(package: request.name, version: version, build: build, versionRequested: request.version != nil)
            }
        }
        let builds = published.keys.compactMap(IndexTarget.init(directoryName:))
        throw .noFittingBuild(NoFittingBuild(package: request.name, version: request.version, builds: builds, for: target))
    }
}
