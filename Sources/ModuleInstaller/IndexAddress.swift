import Foundation
import PackageIndex

/// Turns what the user typed after --index into a source for the index root. People often
/// give a build directory (the mip index of one `<arch>_<abi>`) or the page's address; both
/// lead back to the root, and the build directory is reported so the caller can say so.
public enum IndexAddress {
    public struct Opened: Sendable {
        public var source: any IndexSource
        /// The `<arch>_<abi>` directory that was stripped from the address, if any.
        public var strippedBuild: IndexTarget?
    }

    public static func open(_ text: String) throws(InstallError) -> Opened {
        var trimmed = text
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        for page in [IndexLayout.page, IndexLayout.catalog] where trimmed.hasSuffix("/" + page) {
            trimmed = String(trimmed.dropLast(page.count + 1))
        }
        var stripped: IndexTarget?
        if let slash = trimmed.lastIndex(of: "/"), let build = IndexTarget(directoryName: String(trimmed[trimmed.index(after: slash)...])) {
            stripped = build
            trimmed = String(trimmed[..<slash])
        }
        if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") {
            guard URL(string: trimmed)?.host != nil, !trimmed.contains(where: { $0 == " " || $0 == "\"" }) else {
                throw .badIndexAddress(text)
            }
            return Opened(source: HTTPIndexSource(address: trimmed), strippedBuild: stripped)
        }
        guard !trimmed.contains("://"), FileManager.default.fileExists(atPath: trimmed) else { throw .badIndexAddress(text) }
        return Opened(source: DirectoryIndexSource(directory: trimmed), strippedBuild: stripped)
    }

    /// The root index.json.
    public static func catalog(of source: any IndexSource) throws(InstallError) -> IndexCatalog {
        guard let bytes = try source.fetch(IndexLayout.catalog) else { throw .notAnIndex(address: source.address) }
        do { return try JSONDecoder().decode(IndexCatalog.self, from: Data(bytes)) } catch {
            throw .badCatalog(url: source.url(of: IndexLayout.catalog), detail: "\(error)")
        }
    }
}
