/// What an install is doing, for the command line to show as it happens.
public enum InstallEvent: Sendable {
    /// A download starts (`size` when the table knows it).
    case downloading(url: String, size: Int64?)
    /// Bytes received so far in this attempt.
    case received(bytes: Int64, size: Int64?)
    /// A transient failure; the download starts again after `delay` seconds.
    case retrying(attempt: Int, attempts: Int, delay: Double, reason: String)
    case unpacking(archive: String)
}

/// What `install` did.
public enum InstallOutcome: Sendable {
    case installed(InstalledToolchainSummary)
    /// It was there already: nothing was downloaded.
    case alreadyInstalled(InstalledToolchainSummary)
}

/// An installed toolchain and the release it came from.
public struct InstalledToolchainSummary: Sendable {
    public let release: ToolchainRelease
    public let directory: String
    public let downloadedBytes: Int64
}
