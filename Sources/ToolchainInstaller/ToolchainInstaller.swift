import Foundation
import MPYFormat
import Toolchain

/// Installs and removes vendor toolchains in the per-user cache.
///
/// An install never leaves a half-installed toolchain where `ToolchainFinder` looks: the
/// archive is downloaded to a dot-named file in the cache directory (same file system, so the
/// final rename is atomic), its SHA-256 is checked against the table, it is unpacked into a
/// dot-named directory, the receipt is written last, and only then is the tree renamed to
/// `<name>-<version>`. Leftovers of an interrupted run carry their process id and are swept
/// by the next run once that process is gone.
public struct ToolchainInstaller: Sendable {
    public var cache: ToolchainCache
    public var catalog: ToolchainCatalog
    /// The host platform key (nil: a host no table entry can serve).
    public var host: String?
    /// A base URL that replaces the vendor's: the archive is fetched from `<mirror>/<file name>`.
    public var mirror: String?
    public var retry = RetryPolicy()
    public var environment: [String: String]

    public static let mirrorVariable = "MPYFORGE_TOOLCHAIN_MIRROR"

    public init(cache: ToolchainCache, catalog: ToolchainCatalog, host: String? = HostPlatform.current, mirror: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.cache = cache
        self.catalog = catalog
        self.host = host
        self.mirror = mirror ?? environment[Self.mirrorVariable]
        self.environment = environment
    }

    /// The release for an arch name ("xtensawin") or a toolchain name ("xtensa-esp-elf").
    public func release(for selector: String) throws -> ToolchainRelease {
        if let release = catalog.release(named: selector) { return release }
        guard let arch = NativeArch(rawValue: selector) else {
            throw InstallerError.unknownToolchain(name: selector, known: NativeArch.allCases.map(\.rawValue) + catalog.toolchains.map(\.name))
        }
        guard let release = catalog.release(for: arch) else {
            throw InstallerError.nothingToInstall(arch: arch.rawValue, hint: ArchProfile.profile(for: arch).installHint)
        }
        return release
    }

    /// The archive this host would download for `release`.
    public func download(for release: ToolchainRelease) throws -> ToolchainDownload {
        guard let host else { throw InstallerError.hostUnsupported(host: HostPlatform.description) }
        guard let download = release.downloads[host] else {
            throw InstallerError.notPublished(toolchain: "\(release.name) \(release.version)", vendor: release.vendor, host: host,
                                              alternative: release.alternative)
        }
        return download
    }

    /// Where the archive is fetched from, after --mirror.
    public func url(of download: ToolchainDownload) -> String {
        guard let mirror, !mirror.isEmpty else { return download.url }
        return (mirror.hasSuffix("/") ? String(mirror.dropLast()) : mirror) + "/" + download.fileName
    }

    /// The installation of `release`, if complete.
    public func installation(of release: ToolchainRelease) -> InstalledToolchain? {
        cache.receipt(in: cache.directory(name: release.name, version: release.version))
    }

    /// Installs `release` unless it is installed already (then nothing is downloaded).
    public func install(_ release: ToolchainRelease, events: (InstallEvent) -> Void) throws -> InstallOutcome {
        let directory = cache.directory(name: release.name, version: release.version)
        if installation(of: release) != nil {
            return .alreadyInstalled(InstalledToolchainSummary(release: release, directory: directory, downloadedBytes: 0))
        }
        if FileManager.default.fileExists(atPath: directory) { throw InstallerError.brokenInstall(directory: directory) }
        let download = try download(for: release)
        let url = url(of: download)
        guard let curl = PathSearch.find("curl", environment: environment) else { throw InstallerError.curlMissing }

        do {
            try FileManager.default.createDirectory(atPath: cache.root, withIntermediateDirectories: true)
        } catch {
            throw InstallerError.cacheUnwritable(path: cache.root, detail: "\(error.localizedDescription)")
        }
        sweepLeftovers()
        let stem = "\(cache.root)/.partial-\(getpid())-\(release.directoryName)"
        let archive = "\(stem)-\(download.fileName)"
        let staging = "\(stem).d"
        defer {
            try? FileManager.default.removeItem(atPath: archive)
            try? FileManager.default.removeItem(atPath: staging)
        }

        let bytes = try fetch(url, download: download, to: archive, curl: curl, alternative: release.alternative, events: events)
        events(.unpacking(archive: download.fileName))
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw InstallerError.cacheUnwritable(path: staging, detail: "\(error.localizedDescription)")
        }
        try ArchiveUnpacker.unpack(archive, fileName: download.fileName, into: staging)
        try? FileManager.default.removeItem(atPath: archive)
        let top = ArchiveUnpacker.topDirectory(of: staging)
        for (_, compiler) in release.compilers.sorted(by: { $0.key < $1.key })
        where !FileManager.default.isExecutableFile(atPath: "\(top)/\(compiler)") {
            throw InstallerError.compilerMissingFromArchive(url: url, path: compiler)
        }
        let receipt = InstalledToolchain(name: release.name, version: release.version, compilers: release.compilers, url: url,
                                         sha256: download.sha256)
        try writeReceipt(receipt, into: top)
        guard rename(top, directory) == 0 else {
            let reason = errno
            // Another mpyforge finished the same install first: that one is as good as ours.
            if installation(of: release) != nil {
                return .alreadyInstalled(InstalledToolchainSummary(release: release, directory: directory, downloadedBytes: bytes))
            }
            throw InstallerError.cacheUnwritable(path: directory, detail: String(cString: strerror(reason)))
        }
        return .installed(InstalledToolchainSummary(release: release, directory: directory, downloadedBytes: bytes))
    }

    /// Removes every installed toolchain that serves `selector` (an arch or a toolchain name,
    /// or a directory name such as xtensa-esp-elf-14.2.0_20260121). Each disappears at once:
    /// it is renamed out of sight before its files are deleted.
    public func remove(_ selector: String) throws -> [InstalledToolchain] {
        let matches = cache.installed().filter { toolchain in
            toolchain.name == selector || "\(toolchain.name)-\(toolchain.version)" == selector
                || toolchain.compilers.keys.contains(selector)
        }
        guard !matches.isEmpty else { throw InstallerError.notInstalled(name: selector) }
        for toolchain in matches {
            let doomed = "\(cache.root)/.removing-\(getpid())-\(toolchain.name)-\(toolchain.version)"
            guard rename(toolchain.directory, doomed) == 0 else {
                throw InstallerError.cacheUnwritable(path: toolchain.directory, detail: String(cString: strerror(errno)))
            }
            try? FileManager.default.removeItem(atPath: doomed)
        }
        return matches
    }

    private func fetch(_ url: String, download: ToolchainDownload, to archive: String, curl: String, alternative: String,
                       events: (InstallEvent) -> Void) throws -> Int64 {
        let downloader = CurlDownloader(curl: curl)
        var attempt = 1
        while true {
            events(.downloading(url: url, size: download.size))
            do {
                let result = try downloader.fetch(url, to: archive) { events(.received(bytes: $0, size: download.size)) }
                if let size = download.size, result.bytes < size {
                    // A body cut short without curl noticing (no Content-Length): try again.
                    throw CurlDownloader.Failure(kind: .transient, detail: "the connection ended after \(result.bytes) of \(size) bytes")
                }
                if let size = download.size, size != result.bytes {
                    throw InstallerError.sizeMismatch(url: url, expected: size, actual: result.bytes)
                }
                guard result.sha256 == download.sha256 else {
                    throw InstallerError.digestMismatch(url: url, expected: download.sha256, actual: result.sha256)
                }
                return result.bytes
            } catch let failure as CurlDownloader.Failure {
                switch failure.kind {
                case .offline:
                    throw InstallerError.offline(url: url, detail: failure.detail, alternative: alternative)
                case .notServed(let status):
                    throw InstallerError.notServed(url: url, status: status, alternative: alternative)
                case .permanent:
                    throw InstallerError.downloadFailed(url: url, detail: failure.detail, attempts: attempt, alternative: alternative)
                case .transient:
                    guard attempt < retry.attempts else {
                        throw InstallerError.downloadFailed(url: url, detail: failure.detail, attempts: attempt, alternative: alternative)
                    }
                    let delay = retry.delay(after: attempt)
                    events(.retrying(attempt: attempt + 1, attempts: retry.attempts, delay: delay, reason: failure.detail))
                    Thread.sleep(forTimeInterval: delay)
                    attempt += 1
                }
            }
        }
    }

    private func writeReceipt(_ receipt: InstalledToolchain, into directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(receipt),
              FileManager.default.createFile(atPath: "\(directory)/\(ToolchainCache.receiptName)", contents: data) else {
            throw InstallerError.cacheUnwritable(path: directory, detail: "cannot write \(ToolchainCache.receiptName)")
        }
    }

    /// Deletes `.partial-<pid>-*` and `.removing-<pid>-*` entries whose process has ended.
    private func sweepLeftovers() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: cache.root)) ?? []
        for entry in entries where entry.hasPrefix(".partial-") || entry.hasPrefix(".removing-") {
            let fields = entry.split(separator: "-", maxSplits: 2)
            guard fields.count == 3, let pid = Int32(fields[1]), pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: "\(cache.root)/\(entry)")
            }
        }
    }
}
