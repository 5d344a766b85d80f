import Foundation

/// `mpyforge verify`: re-hashes every file of an index and checks that the catalog, the mip
/// package files, the plain modules, the bundles and the installer all agree.
public enum IndexVerifier {
    public static func verify(_ given: String) -> VerifyReport {
        // The tree walk does not enter a symlink it starts at: walk the directory itself.
        let root = RequestPath.realPath(given) ?? given
        var report = VerifyReport()
        let catalog: IndexCatalog
        do { catalog = try IndexJSON.decode(IndexCatalog.self, at: "\(root)/\(IndexLayout.catalog)") } catch {
            report.problem(IndexLayout.catalog, "\(error)")
            return report
        }
        var check = Check(root: root, report: report)
        check.contentFiles()
        for (name, package) in catalog.packages.sorted(by: { $0.key < $1.key }) { check.package(name, package) }
        for target in catalog.targets.keys.sorted() { check.bundle(target, catalog) }
        check.installer(catalog)
        return check.report
    }

    private struct Check {
        let root: String
        var report: VerifyReport
        private var hashes: [String: String] = [:]

        init(root: String, report: VerifyReport) {
            self.root = root
            self.report = report
        }

        /// Every `file/<h2>/<hash>` anywhere in the tree must hash to its own name.
        mutating func contentFiles() {
            for relative in FileTree.allFiles(under: root) {
                let parts = relative.split(separator: "/").map(String.init)
                guard parts.count >= 3, parts[parts.count - 3] == "file" else { continue }
                let short = parts[parts.count - 1]
                guard let sha = sha256(relative) else { continue }
                if parts[parts.count - 2] != String(short.prefix(2)) {
                    report.problem(relative, "is not under file/\(short.prefix(2))/")
                }
                if !sha.hasPrefix(short) || short.count != ContentHash.shortLength {
                    report.problem(relative, "content hashes to \(sha.prefix(ContentHash.shortLength)), not \(short)")
                }
            }
        }

        mutating func package(_ name: String, _ package: CatalogPackage) {
            report.packagesChecked += 1
            if package.versions[package.latest] == nil {
                report.problem(IndexLayout.catalog, "\(name): latest \(package.latest) is not among its versions")
            }
            for (version, builds) in package.versions.sorted(by: { $0.key < $1.key }) {
                for (targetName, file) in builds.sorted(by: { $0.key < $1.key }) {
                    guard let target = IndexTarget(directoryName: targetName) else {
                        report.problem(IndexLayout.catalog, "\(name) \(version): unknown target \(targetName)")
                        continue
                    }
                    build(name, version, target, file)
                }
            }
            for (targetName, version) in package.latestByTarget.sorted(by: { $0.key < $1.key }) {
                guard let target = IndexTarget(directoryName: targetName), let file = package.versions[version]?[targetName] else {
                    report.problem(IndexLayout.catalog, "\(name): latest for \(targetName) is \(version), which has no such build")
                    continue
                }
                let latest = IndexLayout.mipPackage(target, name, "latest")
                if read(latest) != read(IndexLayout.mipPackage(target, name, version)) {
                    report.problem(latest, "differs from \(version).json")
                }
                let plain = IndexLayout.plainModule(target, name)
                if let sha = sha256(plain), sha != file.sha256 {
                    report.problem(plain, "is not the latest build (\(version), sha256 \(file.sha256.prefix(12))...)")
                }
            }
        }

        /// One version of one package for one target: content file and mip package file.
        mutating func build(_ name: String, _ version: String, _ target: IndexTarget, _ file: CatalogFile) {
            let expectedPath = IndexLayout.content(target, file.sha256)
            if file.path != expectedPath { report.problem(IndexLayout.catalog, "\(name) \(version) \(target): file should be \(expectedPath)") }
            if let bytes = read(file.path) {
                if bytes.count != file.size { report.problem(file.path, "size \(bytes.count), index.json says \(file.size)") }
                if sha256(file.path) != file.sha256 { report.problem(file.path, "sha256 differs from index.json") }
            }
            let packagePath = IndexLayout.mipPackage(target, name, version)
            guard let package = decode(MipPackage.self, packagePath) else { return }
            let expected = [["\(name).mpy", String(file.sha256.prefix(ContentHash.shortLength))]]
            if package.hashes != expected || package.version != version {
                report.problem(packagePath, "does not list \(name).mpy \(expected[0][1]) as version \(version)")
            }
        }

        mutating func bundle(_ targetName: String, _ catalog: IndexCatalog) {
            let path = "\(targetName)/package.json"
            guard let bundle = decode(MipPackage.self, path) else { return }
            let expected = catalog.packages.filter { $0.value.latestByTarget[targetName] != nil }.keys.sorted()
            let listed = (bundle.urls ?? []).map { $0.first ?? "" }
            if listed != expected.map({ "\($0).mpy" }) { report.problem(path, "does not list exactly the latest modules of \(targetName)") }
            for entry in bundle.urls ?? [] where entry.count == 2 {
                if entry[1].contains("..") || entry[1].hasPrefix("/") || !FileTree.exists("\(root)/\(targetName)/\(entry[1])") {
                    report.problem(path, "url \(entry[1]) does not name a file beside it")
                }
            }
        }

        mutating func installer(_ catalog: IndexCatalog) {
            guard let installer = catalog.installer else {
                report.problem(IndexLayout.catalog, "no installer recorded")
                return
            }
            guard let sha = sha256(installer.path) else { return }
            if sha != installer.sha256 { report.problem(installer.path, "sha256 differs from index.json") }
            if !FileTree.exists("\(root)/\(IndexLayout.mipFile(installer.sha256))") {
                report.problem(IndexLayout.mipFile(installer.sha256), "missing (the installer's mip copy)")
            }
            let package = "package/\(IndexLayout.sourceSegment)/\(IndexLayout.installerModule)/latest.json"
            if let spec = decode(MipPackage.self, package),
               spec.hashes != [[IndexLayout.installer, String(installer.sha256.prefix(ContentHash.shortLength))]] {
                report.problem(package, "does not list the current installer")
            }
        }

        private mutating func read(_ relative: String) -> [UInt8]? {
            do { return try FileTree.read("\(root)/\(relative)") } catch {
                report.problem(relative, "missing")
                return nil
            }
        }

        /// Each file is hashed once however many records point at it.
        private mutating func sha256(_ relative: String) -> String? {
            if let known = hashes[relative] { return known }
            guard let bytes = read(relative) else { return nil }
            report.filesHashed += 1
            let sha = ContentHash(of: bytes).sha256
            hashes[relative] = sha
            return sha
        }

        private mutating func decode<T: Decodable>(_ type: T.Type, _ relative: String) -> T? {
            guard let bytes = read(relative) else { return nil }
            guard let value = try? JSONDecoder().decode(type, from: Data(bytes)) else {
                report.problem(relative, "not valid mip package JSON")
                return nil
            }
            return value
        }
    }
}
