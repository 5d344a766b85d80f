import MPYFormat

/// One `<arch>_<abi>` build target, the name of its directory in dist/ and in the index.
public struct IndexTarget: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var arch: NativeArch
    public var abi: ABIVersion

    public init(arch: NativeArch, abi: ABIVersion) {
        self.arch = arch
        self.abi = abi
    }

    /// Parses "xtensawin_6.3".
    public init?(directoryName: String) {
        guard let split = directoryName.lastIndex(of: "_"),
              let arch = NativeArch(rawValue: String(directoryName[..<split])),
              let abi = ABIVersion(String(directoryName[directoryName.index(after: split)...])) else { return nil }
        self.init(arch: arch, abi: abi)
    }

    public var name: String { "\(arch.rawValue)_\(abi)" }
    public var description: String { name }

    /// The `$MPY_VERSION` path segment mip asks for: `sys.implementation._mpy & 0xFF`.
    public var mipVersionSegment: String { "\(abi.version)" }

    public static func < (lhs: IndexTarget, rhs: IndexTarget) -> Bool {
        (lhs.arch.rawValue, lhs.abi) < (rhs.arch.rawValue, rhs.abi)
    }
}
