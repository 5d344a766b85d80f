/// Why a toolchain could not be installed or removed. Each message names the toolchain or URL
/// and ends with what to do instead.
public enum InstallerError: Error, CustomStringConvertible, Equatable {
    case tableUnreadable(path: String, detail: String)
    case nothingToInstall(arch: String, hint: String)
    case unknownToolchain(name: String, known: [String])
    case hostUnsupported(host: String)
    case notPublished(toolchain: String, vendor: String, host: String, alternative: String)
    case curlMissing
    case offline(url: String, detail: String, alternative: String)
    case downloadFailed(url: String, detail: String, attempts: Int, alternative: String)
    case notServed(url: String, status: Int, alternative: String)
    case digestMismatch(url: String, expected: String, actual: String)
    case sizeMismatch(url: String, expected: Int64, actual: Int64)
    case unpackFailed(archive: String, detail: String)
    case compilerMissingFromArchive(url: String, path: String)
    case brokenInstall(directory: String)
    case cacheUnwritable(path: String, detail: String)
    case notInstalled(name: String)

    public var description: String {
        switch self {
        case .tableUnreadable(let path, let detail):
            return "toolchain table \(path): \(detail)"
        case .nothingToInstall(let arch, let hint):
            return "mpyforge has no vendor toolchain to install for \(arch); install one: \(hint)"
        case .unknownToolchain(let name, let known):
            return "no toolchain or arch called \(name); known: \(known.joined(separator: ", "))"
        case .hostUnsupported(let host):
            return "no vendor publishes toolchains in mpyforge's table for \(host); install a compiler yourself and pass --cc ARCH=PATH"
        case .notPublished(let toolchain, let vendor, let host, let alternative):
            return "\(vendor) publishes no \(toolchain) archive for \(host) in mpyforge's table; instead: \(alternative)"
        case .curlMissing:
            return "downloading needs curl, which is not on PATH; install it (apt-get install curl) and run this again"
        case .offline(let url, let detail, let alternative):
            return "cannot reach \(url) (\(detail)): this machine is offline or cannot resolve that host. Either download that file elsewhere, put it in a directory DIR here and run again with --mirror file://DIR, or, without a download: \(alternative)"
        case .downloadFailed(let url, let detail, let attempts, let alternative):
            return "downloading \(url) failed \(attempts == 1 ? "once" : "\(attempts) times") (\(detail)); run again later, use --mirror, or instead: \(alternative)"
        case .notServed(let url, let status, let alternative):
            return "\(url) answered HTTP \(status): the file is not there (a --mirror without it, or the vendor moved it); instead: \(alternative)"
        case .digestMismatch(let url, let expected, let actual):
            return "\(url) has SHA-256 \(actual), but the table says \(expected): the download is corrupt or not the vendor's file; nothing was installed"
        case .sizeMismatch(let url, let expected, let actual):
            return "\(url) delivered \(actual) bytes, but the table says \(expected): the download is incomplete or not the vendor's file; nothing was installed"
        case .unpackFailed(let archive, let detail):
            return "unpacking \(archive) failed: \(detail); nothing was installed"
        case .compilerMissingFromArchive(let url, let path):
            return "\(url) unpacked without \(path), which the table says it holds; nothing was installed"
        case .brokenInstall(let directory):
            return "\(directory) exists but has no install receipt (not made by mpyforge, or damaged); remove it and run this again"
        case .cacheUnwritable(let path, let detail):
            return "cannot write the toolchain cache \(path): \(detail); set XDG_CACHE_HOME to a writable directory"
        case .notInstalled(let name):
            return "no installed toolchain matches \(name); `mpyforge toolchain list` shows what is installed"
        }
    }
}
