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
