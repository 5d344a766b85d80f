import ELFReader
import MPYFormat

/// Everything one link needs: the module's objects, the runtime libraries to pull missing
/// symbols from, and the module's qstrs in table order.
public struct LinkRequest: Sendable {
    public var arch: NativeArch
    public var abi: ABIVersion
    public var objects: [ELFObject]
    /// Searched in order for symbols the objects leave undefined (libgcc.a, libm.a).
    public var archives: [ELFArchive]
    /// The module's own qstrs (the MP_QSTR_ names that are not static), in table order.
    public var qstrs: [String]
    /// Written as qstr 0, the module's file name as MicroPython reports it.
    public var sourceName: String
    public var archFlags: UInt
    /// Symbols at fixed addresses in the device's ROM (from a linker script).
    public var fixedAddresses: [String: UInt64]
    /// Drop sections mpy_init cannot reach (most useful with -ffunction-sections).
    public var discardUnreachableSections: Bool

    public init(arch: NativeArch, abi: ABIVersion = .v6_3, objects: [ELFObject], archives: [ELFArchive] = [],
                qstrs: [String], sourceName: String, archFlags: UInt = 0, fixedAddresses: [String: UInt64] = [:],
                discardUnreachableSections: Bool = false) {
        self.arch = arch
        self.abi = abi
        self.objects = objects
        self.archives = archives
        self.qstrs = qstrs
        self.sourceName = sourceName
        self.archFlags = archFlags
        self.fixedAddresses = fixedAddresses
        self.discardUnreachableSections = discardUnreachableSections
    }
}

/// A linked module and what the link learned on the way.
public struct LinkResult: Sendable {
    public var image: NativeModuleImage
    public var warnings: [String]
    /// Archive members pulled in, as `archive(member)`.
    public var pulledMembers: [String]
    public var gotEntries: Int
}
