/// The fixed header of an .mpy file and the optional arch-flags varint after it.
public struct MPYHeader: Equatable, Sendable {
    public var version: UInt8
    /// The third header byte: sub-version in bits 0-1, arch code from bit 2, arch-flags bit 0x40.
    public var featureByte: UInt8
    /// The native arch code, decoded as MicroPython does (`(feature >> 2) & 0x2F`); 0 for bytecode only.
    public var archCode: UInt8
    public var subVersion: UInt8
    /// Present when the feature byte has bit 0x40 set.
    public var archFlags: Int?
    public var smallIntBits: UInt8
    /// The header bytes including the arch-flags varint.
    public var range: Range<Int>

    public var arch: NativeArch? { NativeArch(code: archCode) }
    public var hasNativeCode: Bool { archCode != 0 }
    public var abi: ABIVersion { ABIVersion(version: version, subVersion: subVersion) }
}
