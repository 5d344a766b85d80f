import ELFReader
import MPYFormat

// RISC-V (rv32imc, rv64imc). Work in progress: relocation handling lands with the arch issue.
struct RISCVBackend: ArchBackend {
    let arch: NativeArch
    var machine: UInt16 { Machine.riscv }
    var usesLiteralPools: Bool { false }
    var separateRodata: Bool { false }

    func createsGOTEntry(_ type: UInt32) -> Bool { false }
    func isAbsoluteWord(_ type: UInt32) -> Bool { type == 1 || type == 2 }
    func isTestedTextAlignment(_ alignment: Int) -> Bool { alignment == 2 }
    func applyCodeRelocation(_ site: RelocationSite, _ link: LinkContext) throws { throw link.unknown(site) }
    func entryJump(to target: Int) -> [UInt8]? { nil }
    func functionTableStub() -> (code: [UInt8], pointerOffset: Int)? { nil }
}
