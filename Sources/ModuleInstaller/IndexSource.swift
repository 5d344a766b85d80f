/// Where a published index is read from: a web address or a local directory. Paths are
/// relative to the index root, as `IndexLayout` names them.
public protocol IndexSource: Sendable {
    /// The index root as people write it, without a trailing slash.
    var address: String { get }
    /// Whether mpremote's mip (which runs on the PC) can install from this address.
    var isWebAddress: Bool { get }
    /// The file's bytes, or nil when the index has no such file.
    func fetch(_ relativePath: String) throws(InstallError) -> [UInt8]?
}

extension IndexSource {
    /// The full address of a file, for messages and for mip.
    public func url(of relativePath: String) -> String { "\(address)/\(relativePath)" }
}
