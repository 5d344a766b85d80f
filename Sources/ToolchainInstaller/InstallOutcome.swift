/// What `install` did.
public enum InstallOutcome: Sendable {
    case installed(InstalledToolchainSummary)
    /// It was there already: nothing was downloaded.
    case alreadyInstalled(InstalledToolchainSummary)
}
