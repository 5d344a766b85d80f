import CLibOpcodes
import Foundation
import MPYFormat

/// Turns the machine code of one architecture into instructions, through libopcodes.
/// The code is disassembled as if loaded at address 0, so addresses are offsets into it.
public struct Disassembler: Sendable {
    public let arch: NativeArch

    public init(arch: NativeArch) {
        self.arch = arch
    }

    public func disassemble(_ code: [UInt8]) throws(DisassemblyError) -> [DisassembledInstruction] {
        try disassemble(code, in: 0..<code.count)
    }

    /// Decodes the instructions in `range` of `code`; addresses stay offsets into all of `code`.
    public func disassemble(_ code: [UInt8], in range: Range<Int>) throws(DisassemblyError) -> [DisassembledInstruction] {
        let range = range.clamped(to: 0..<code.count)
        // Debian's multiarch libopcodes leaves Xtensa out; the lx106 objdump stands in.
        if !LibOpcodesTarget.hasLibOpcodesSupport(arch) {
            guard let objdump = XtensaObjdump.find() else { throw .unsupportedArch(arch) }
            return try XtensaObjdump(path: objdump).disassemble(code, in: range)
        }
        let functions = try LibOpcodes.shared.get().functions
        let target = LibOpcodesTarget(arch)
        guard let decodeOne = functions.disassembler(target.architecture, false, target.machine, nil) else {
            throw .unsupportedArch(arch)
        }
        // libopcodes keeps pointers to the sink, the code and the options between calls, so
        // all of them live at fixed addresses until the last instruction is decoded.
        let info = UnsafeMutablePointer<disassemble_info>.allocate(capacity: 1)
        let sink = UnsafeMutablePointer<mpyforge_text_sink>.allocate(capacity: 1)
        let codeCopy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(code.count, 1))
        let options = target.options.map { strdup($0)! }
        defer {
            functions.disassemble_free_target(info)
            info.deallocate()
            sink.deallocate()
            codeCopy.deallocate()
            free(options)
        }
        _ = codeCopy.initialize(from: code)
        sink.initialize(to: mpyforge_text_sink())
        var table = functions
        mpyforge_disassembly_init(&table, info, sink, target.architecture, target.machine, 0,
                                  codeCopy.baseAddress, range.upperBound, options.map { UnsafePointer($0) })

        var instructions: [DisassembledInstruction] = []
        var offset = range.lowerBound
        while offset < range.upperBound {
            mpyforge_sink_reset(sink)
            let size = Int(decodeOne(bfd_vma(offset), info))
            guard size > 0 else {
                instructions.append(DisassembledInstruction(
                    offset: offset, bytes: Array(code[offset..<range.upperBound]), text: "(undecodable)",
                    referencedAddresses: []))
                break
            }
            let end = min(offset + size, range.upperBound)
            let addresses = (0..<Int(sink.pointee.address_count)).map {
                Int(truncatingIfNeeded: mpyforge_sink_address(sink, Int32($0)))
            }
            instructions.append(DisassembledInstruction(
                offset: offset, bytes: Array(code[offset..<end]),
                text: Disassembler.expandTabs(String(cString: mpyforge_sink_text(sink))), referencedAddresses: addresses))
            offset = end
        }
        return instructions
    }

    /// RISC-V and ARM separate mnemonic and operands with tabs; x86 pads with spaces.
    static func expandTabs(_ text: String) -> String {
        guard let tab = text.firstIndex(of: "\t") else { return text }
        let mnemonic = String(text[..<tab])
        let rest = text[text.index(after: tab)...].replacingOccurrences(of: "\t", with: " ")
        return mnemonic.padding(toLength: max(mnemonic.count + 1, 7), withPad: " ", startingAt: 0) + rest
    }
}
