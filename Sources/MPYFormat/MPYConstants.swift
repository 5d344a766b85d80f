// Numbers of the .mpy container (py/persistentcode.h, py/emitglue.h, py/runtime0.h of
// MicroPython 1.22-1.29), named once here so no other file spells a magic number.

public enum MPY {
    public static let magic: UInt8 = 0x4D  // "M"
    public static let version: UInt8 = 6
    /// Bit in the feature byte saying an arch-flags varint follows the header.
    public static let archFlagsPresent: UInt8 = 0x40
    /// mp_small_int_bits written by mpy_ld.py for every native module.
    public static let smallIntBits: UInt8 = 31

    /// Raw code kinds; the kind/length varint stores `kind - bytecode` in its low 2 bits.
    public enum CodeKind: UInt8, Sendable {
        case bytecode = 2, nativePython = 3, nativeViper = 4, nativeAsm = 5
    }

    /// Scope flags of a native viper raw code that say which extra parts follow it.
    public enum ScopeFlag {
        public static let viperRelocations: UInt = 0x10
        public static let viperRodata: UInt = 0x20
        public static let viperBSS: UInt = 0x40
    }

    /// The relocation stream ends with this byte.
    public static let relocationEnd: UInt8 = 0xFF
}

/// An .mpy ABI: the format version and the sub-version that names the native ABI.
/// 6.3 is MicroPython 1.23 and later; 6.2 is MicroPython 1.22.
public struct ABIVersion: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var version: UInt8
    public var subVersion: UInt8

    public init(version: UInt8 = MPY.version, subVersion: UInt8) {
        self.version = version
        self.subVersion = subVersion
    }

    public static let v6_3 = ABIVersion(subVersion: 3)
    public static let v6_2 = ABIVersion(subVersion: 2)
    public static let supported: [ABIVersion] = [.v6_3, .v6_2]

    /// Parses "6.3".
    public init?(_ text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let major = UInt8(parts[0]), let minor = UInt8(parts[1]),
              ABIVersion.supported.contains(ABIVersion(version: major, subVersion: minor)) else { return nil }
        self.init(version: major, subVersion: minor)
    }

    public var description: String { "\(version).\(subVersion)" }

    /// The MicroPython releases that load this ABI.
    public var micropythonReleases: String {
        switch subVersion {
        case 2: return "MicroPython 1.22"
        case 3: return "MicroPython 1.23 and later"
        default: return "unknown MicroPython release"
        }
    }

    public static func < (lhs: ABIVersion, rhs: ABIVersion) -> Bool {
        (lhs.version, lhs.subVersion) < (rhs.version, rhs.subVersion)
    }
}
