import MPYFormat

/// What a MicroPython firmware loads: its .mpy version and sub-version, its native arch and,
/// for rv32imc, the RISC-V extensions it can run. Comes from `--target x64_6.3` or from a
/// board's `sys.implementation._mpy`.
public struct LoadTarget: Equatable, Sendable, CustomStringConvertible {
    public var version: UInt8
    public var subVersion: UInt8
    /// MicroPython's arch code; 0 when the firmware runs no native code.
    public var archCode: UInt8
    /// Extensions the firmware allows (rv32imc only); nil when not known, as for `--target`.
    public var archFlags: Int?

    public init(version: UInt8, subVersion: UInt8, archCode: UInt8, archFlags: Int?) {
        self.version = version
        self.subVersion = subVersion
        self.archCode = archCode
        self.archFlags = archFlags
    }

    /// Parses "<arch>_<abi>", the name of a dist directory, e.g. "armv7emsp_6.3".
    public init(parsing text: String) throws(LoadTargetError) {
        guard let separator = text.lastIndex(of: "_") else { throw .malformedTarget(text) }
        let archName = String(text[..<separator])
        let abiText = String(text[text.index(after: separator)...])
        guard let arch = NativeArch(rawValue: archName) else { throw .unknownArch(archName) }
        let parts = abiText.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let version = UInt8(parts[0]), let subVersion = UInt8(parts[1]), subVersion <= 3 else {
            throw .malformedABI(abiText)
        }
        self.init(version: version, subVersion: subVersion, archCode: arch.code, archFlags: nil)
    }

    /// Decodes `sys.implementation._mpy`: version in bits 0-7, the header's feature byte
    /// (sub-version, arch code) in bits 8-15, arch flags from bit 16 (MicroPython 1.25 and later).
    public init(sysImplementationMPY value: Int) {
        let feature = UInt8(truncatingIfNeeded: value >> 8)
        let flags = value >> 16
        self.init(version: UInt8(truncatingIfNeeded: value), subVersion: feature & 3, archCode: (feature >> 2) & 0x2F,
                  archFlags: feature >> 2 & 0x2F == NativeArch.rv32imc.code ? flags : nil)
    }

    public var arch: NativeArch? { NativeArch(code: archCode) }
    public var abi: ABIVersion { ABIVersion(version: version, subVersion: subVersion) }

    /// "x64_6.3", or "bytecode only, .mpy 6.3" for firmware without native code.
    public var description: String {
        if let arch { return "\(arch.rawValue)_\(abi)" }
        return archCode == 0 ? "no native code, .mpy \(abi)" : "\(NativeArch.describe(code: archCode)), .mpy \(abi)"
    }
}
