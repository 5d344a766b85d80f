import Foundation

/// `mpyforge publish`: adds the modules of a dist directory to an index as one version.
/// Older versions stay, `latest` moves to this one, and the new tree is built and verified
/// beside the old one before a rename swaps it in.
public enum Publisher {
    public static func publish(_ request: PublishRequest) throws(IndexError) -> PublishResult {
        try publish(request, beforeSwap: { _ throws(IndexError) in })
    }

    /// `beforeSwap` sees the finished staging tree; tests use it to fail a publish late.
    static func publish(_ request: PublishRequest,
                        beforeSwap: (String) throws(IndexError) -> Void) throws(IndexError) -> PublishResult {
        try PackageVersion.validate(request.version)
        let baseURL = try request.baseURL.map { url throws(IndexError) in try normalizedBaseURL(url) }
        let modules = try DistScanner.scan(request.dist)
        let destination = try IndexLocation.resolve(request.index)
        try checkIsIndexOrEmpty(destination)

        let lock = try PublishLock(for: destination)
        defer { withExtendedLifetime(lock) {} }
        let staged = try StagedDirectory(replacing: destination)
        do throws(IndexError) {
            var writer = try IndexWriter(root: staged.path)
            if let baseURL { writer.catalog.baseURL = baseURL }
            writer.catalog.generatorVersion = request.generatorVersion
            for module in modules { try writer.add(module, version: request.version) }
            try writer.finish(installerTemplate: request.installerTemplate)
            try beforeSwap(staged.path)
            let problems = IndexVerifier.verify(staged.path).problems
            guard problems.isEmpty else { throw IndexError.stagedIndexInvalid(problems: problems.map(\.description)) }
            try staged.commit()
        } catch {
            staged.abandon()
            throw error
        }
        let entries = modules.map {
            PublishResult.Entry(name: $0.name, target: $0.target, size: $0.bytes.count, hash: $0.hash.short)
        }
        return PublishResult(index: destination, version: request.version, entries: entries,
                             targets: Array(Set(modules.map(\.target))).sorted())
    }

    static func normalizedBaseURL(_ url: String) throws(IndexError) -> String {
        let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
        let forbidden = Set(" \t\r\n\"'\\<>`")
        guard trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://"),
              trimmed.count > "https://".count - 1, !trimmed.contains(where: { forbidden.contains($0) }) else {
            throw .badBaseURL(url)
        }
        return trimmed
    }

    /// Publishing into a directory that is something else would bury it in the swap.
    static func checkIsIndexOrEmpty(_ destination: String) throws(IndexError) {
        guard FileTree.exists(destination) else { return }
        guard FileTree.isDirectory(destination) else { throw .notAnIndex(path: destination) }
        let entries = try FileTree.entries(of: destination)
        if !entries.isEmpty && !entries.contains(IndexLayout.catalog) { throw .notAnIndex(path: destination) }
        if let link = IndexLocation.firstLink(under: destination) { throw .linkInsideIndex(path: link) }
    }
}
