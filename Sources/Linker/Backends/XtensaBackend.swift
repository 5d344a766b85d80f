import ELFReader
import MPYFormat

// Xtensa (xtensa: ESP8266 LX106, call0 ABI; xtensawin: ESP32, windowed ABI).
// Work in progress: relocation handling lands with the arch issue.
struct XtensaBackend: ArchBackend {
    let arch: NativeArch
    var machine: UInt16 { Machine.xtensa }
    var usesLiteralPools: Bool { true }
    var separateRodata: Bool { arch == .xtensawin }

    func createsGOTEntry(_ type: UInt32) -> Bool { false }
    func isAbsoluteWord(_ type: UInt32) -> Bool { type == 1 }
    func isTestedTextAlignment(_ alignment: Int) -> Bool { alignment == 4 }
    func applyCodeRelocation(_ site: RelocationSite, _ link: LinkContext) throws { throw link.unknown(site) }
    func entryJump(to target: Int) -> [UInt8]? { nil }
    func functionTableStub() -> (code: [UInt8], pointerOffset: Int)? { nil }
}
