import ELFReader
import MPYFormat

extension LinkContext {
    /// Pass 2b (when asked): keeps only the sections reachable from mpy_init through
    /// relocations, like `ld --gc-sections`. With -ffunction-sections -fdata-sections every
    /// function and variable is its own section, so helpers a header defines but the module
    /// never calls cost nothing. Upstream mpy_ld.py keeps everything.
    func discardUnreachableSections() {
        guard request.discardUnreachableSections, let entry = definitions["mpy_init"],
              let root = sectionIDs[entry.object][Int(symbol(entry).sectionIndex)] else { return }
        var reachable: Set<Int> = [root]
        var work = [root]
        while let id = work.popLast() {
            let section = sections[id]
            guard let object = section.object else { continue }
            for relocation in section.relocations {
                for target in targetSections(of: SymbolID(object: object, index: relocation.symbolIndex))
                where reachable.insert(target).inserted {
                    work.append(target)
                }
            }
        }
        order.removeAll { !reachable.contains($0) }
        literalSections.removeAll { !reachable.contains($0) }
        // Symbols only the discarded code needed no longer have to exist.
        let referenced = Set(order.flatMap { id in sections[id].relocations.map { (sections[id].object!, $0.symbolIndex) } }
            .map { SymbolID(object: $0.0, index: $0.1) })
            .union(literalSections.flatMap { id in sections[id].relocations.map { SymbolID(object: sections[id].object!, index: $0.symbolIndex) } })
        undefined.removeAll { !referenced.contains($0) }
    }

    /// The input sections a symbol reference keeps alive: its own section, or for an undefined
    /// symbol the section of the definition it resolves to.
    private func targetSections(of id: SymbolID) -> [Int] {
        let sym = symbol(id)
        if let own = sectionIDs[id.object][Int(sym.sectionIndex)] { return [own] }
        if sym.isUndefined, let definition = definitions[sym.name],
           let section = sectionIDs[definition.object][Int(symbol(definition).sectionIndex)] {
            return [section]
        }
        return []
    }
}
