import ELFReader
import MPYFormat

extension LinkContext {
    /// Pass 5: gives every section its address. The text starts with a jump to mpy_init
    /// (unless mpy_init is already first); its size depends on the distance, which depends
    /// on its size, so the gap grows in steps of the text alignment until the jump fits.
    func layOut() throws {
        guard let entry = definitions["mpy_init"], let place = place(of: entry),
              case .section(let entrySection, _) = place else {
            throw LinkError.missingEntryPoint
        }
        let alignment = sections[entrySection].alignment
        if !backend.isTestedTextAlignment(alignment) {
            warnings.append("a .text section aligned to \(alignment) bytes is untested for \(backend.arch.rawValue) and may not work")
        }
        placeStaticVariablesInText()
        assignAddresses(gap: 0)
        guard address(of: place) != 0 else { return }
        var gap = alignment
        while true {
            assignAddresses(gap: gap)
            let target = Int(address(of: place)!)
            if let jump = backend.entryJump(to: target), jump.count <= gap {
                entryJump = jump + [UInt8](repeating: 0, count: gap - jump.count)
                return
            }
            guard gap < 1 << 16 else {
                throw LinkError.tooLarge(detail: "mpy_init at text offset \(target) is beyond the reach of a \(backend.arch.rawValue) jump")
            }
            gap += alignment
        }
    }

    /// Static (file-local) variables are addressed PC-relatively, which the separately
    /// allocated bss cannot serve; where the text is writable their sections move into it.
    func placeStaticVariablesInText() {
        guard backend.textIsWritable else { return }
        for id in order {
            guard let object = sections[id].object else { continue }
            for relocation in sections[id].relocations {
                let sym = objects[object].symbols[relocation.symbolIndex]
                guard sym.binding == SymbolBinding.local, let target = sectionIDs[object][Int(sym.sectionIndex)],
                      sections[target].isBSS else { continue }
                sections[target].placeInText = true
            }
        }
    }

    private func assignAddresses(gap: Int) {
        text = [UInt8](repeating: 0, count: gap)
        rodata = []
        bssSize = 0
        for id in order {
            let section = sections[id]
            if backend.separateRodata && section.isRodata {
                section.region = .rodata
                section.address = alignUp(rodata.count, section.alignment)
                rodata += [UInt8](repeating: 0, count: section.address - rodata.count) + section.data
            } else if section.isBSS && !section.placeInText {
                section.region = .bss
                section.address = alignUp(bssSize, section.alignment)
                bssSize = section.address + section.data.count
            } else {
                section.region = .text
                section.address = alignUp(text.count, section.alignment)
                text += [UInt8](repeating: 0, count: section.address - text.count) + section.data
            }
        }
    }

    /// Last pass: the jump goes in after relocations, which never touch its bytes.
    func writeEntryJump() throws {
        text.replaceSubrange(0..<entryJump.count, with: entryJump)
    }

    func result() -> LinkResult {
        let image = NativeModuleImage(
            arch: request.arch, abi: request.abi, archFlags: request.archFlags, sourceName: request.sourceName,
            qstrs: request.qstrs, text: text, rodata: rodata, bssSize: bssSize, relocations: mpyRelocations)
        return LinkResult(image: image, warnings: warnings, pulledMembers: pulledMembers, gotEntries: got.count)
    }
}
