/// Whether a firmware loads an .mpy file, why not in plain words, and what to do about it.
public struct CompatibilityVerdict: Equatable, Sendable {
    public var loads: Bool
    /// What the file is, e.g. "native x64 code for .mpy 6.3 (MicroPython 1.23 and later)".
    public var file: String
    /// What the firmware loads, e.g. "x64_6.3".
    public var target: String
    /// One sentence per reason the firmware refuses the file, in the order MicroPython checks.
    public var problems: [String]
    /// Sentences that do not stop loading but deserve a look (unknowns, arch fallbacks).
    public var remarks: [String]
    /// What to rebuild, or which dist directory holds the file to install instead.
    public var advice: [String]
    /// The dist directory name ("armv7emsp_6.3" ...) of builds this firmware loads, best first.
    public var suitableBuilds: [String]
}
