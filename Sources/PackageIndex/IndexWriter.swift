import Foundation

/// Writes modules, packages, bundles, the installer and the catalog into a staging tree.
struct IndexWriter {
    static let installerVersion = "1"

    let root: String
    var catalog: IndexCatalog
    private var version = PackageVersion.defaultVersion

    init(root: String) throws(IndexError) {
        self.root = root
        let catalogPath = "\(root)/\(IndexLayout.catalog)"
        if FileTree.exists(catalogPath) {
            catalog = try IndexJSON.decode(IndexCatalog.self, at: catalogPath)
            guard catalog.format == IndexCatalog.currentFormat else {
                throw .badCatalog(path: catalogPath, detail: "index format \(catalog.format) is not \(IndexCatalog.currentFormat)")
            }
        } else {
            catalog = IndexCatalog()
        }
    }

    /// One module as `version` of its package for its target; this version becomes latest.
    mutating func add(_ module: DistModule, version: String) throws(IndexError) {
        self.version = version
        let hash = module.hash
        let contentPath = IndexLayout.content(module.target, hash.sha256)
        try writeContent(module.bytes, hash: hash, at: contentPath)

        let package = MipPackage(hashes: [[module.fileName, hash.short]], version: version)
        let packageJSON = IndexJSON.encode(package)
        try write(packageJSON, IndexLayout.mipPackage(module.target, module.name, version))
        try write(packageJSON, IndexLayout.mipPackage(module.target, module.name, "latest"))
        try write(module.bytes, IndexLayout.plainModule(module.target, module.name))

        let file = CatalogFile(path: contentPath, size: module.bytes.count, sha256: hash.sha256)
        var entry = catalog.packages[module.name] ?? CatalogPackage(latest: version, latestByTarget: [:], versions: [:])
        entry.latest = version
        entry.latestByTarget[module.target.name] = version
        entry.versions[version, default: [:]][module.target.name] = file
        catalog.packages[module.name] = entry
    }

    /// Bundles for every target, the installer, index.json and index.html.
    mutating func finish(installerTemplate: String) throws(IndexError) {
        let targets = publishedTargets()
        for target in targets {
            catalog.targets[target.name] = CatalogTarget(
                arch: target.arch.rawValue, abi: target.abi.description, boards: target.arch.boards,
                micropython: target.abi.micropythonReleases, bundle: IndexLayout.bundle(target))
            try write(IndexJSON.encode(bundle(for: target)), IndexLayout.bundle(target))
        }
        try writeInstaller(template: installerTemplate, targets: targets)
        try write(IndexJSON.encode(catalog), IndexLayout.catalog)
        try write(Array(IndexPage.render(catalog).utf8), IndexLayout.page)
        try write(Array(NotFoundHint.page(catalog).utf8), IndexLayout.notFoundPage)
        try write([], IndexLayout.noJekyll)
    }

    func publishedTargets() -> [IndexTarget] {
        let names = Set(catalog.packages.values.flatMap(\.latestByTarget.keys))
        return names.compactMap(IndexTarget.init(directoryName:)).sorted()
    }

    /// Every module's latest build for one target, by URLs relative to the bundle.
    func bundle(for target: IndexTarget) -> MipPackage {
        let names = catalog.packages.filter { $0.value.latestByTarget[target.name] != nil }.keys.sorted()
        return MipPackage(urls: names.map { ["\($0).mpy", "\($0).mpy"] }, version: version)
    }

    private mutating func writeInstaller(template: String, targets: [IndexTarget]) throws(IndexError) {
        let source = InstallerTemplate.render(template, baseURL: catalog.baseURL, targets: targets)
        let bytes = Array(source.utf8)
        let hash = ContentHash(of: bytes)
        try write(bytes, IndexLayout.installer)
        try writeContent(bytes, hash: hash, at: IndexLayout.mipFile(hash.sha256))
        let package = IndexJSON.encode(MipPackage(hashes: [[IndexLayout.installer, hash.short]], version: Self.installerVersion))
        for segment in Set(targets.map(\.mipVersionSegment)).union([IndexLayout.sourceSegment]).sorted() {
            try write(package, "package/\(segment)/\(IndexLayout.installerModule)/latest.json")
        }
        let rootBundle = MipPackage(urls: [[IndexLayout.installer, IndexLayout.installer]], version: Self.installerVersion)
        try write(IndexJSON.encode(rootBundle), IndexLayout.rootBundle)
        catalog.installer = CatalogFile(path: IndexLayout.installer, size: bytes.count, sha256: hash.sha256)
    }

    /// Content-addressed files never change; the same short hash with other bytes is refused.
    private func writeContent(_ bytes: [UInt8], hash: ContentHash, at relative: String) throws(IndexError) {
        let path = "\(root)/\(relative)"
        if FileTree.exists(path) {
            let existing = ContentHash(of: try FileTree.read(path))
            if existing == hash { return }
            if existing.short == hash.short { throw .hashCollision(path: path) }
            // Otherwise the stored copy is damaged: the right bytes replace it.
        }
        try FileTree.write(bytes, to: path)
    }

    private func write(_ bytes: [UInt8], _ relative: String) throws(IndexError) {
        try FileTree.write(bytes, to: "\(root)/\(relative)")
    }
}
