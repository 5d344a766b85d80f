import ELFReader
import MPYFormat

extension LinkContext {
    /// Pass 4: decides where every undefined symbol points: another object's definition,
    /// one of the tables the loader provides, a function-table entry, or a stub that
    /// forwards memset/memcpy/memmove calls to the function table.
    func resolveUndefinedSymbols() throws {
        var missing: [(symbol: String, neededBy: String)] = []
        for id in undefined {
            let name = symbol(id).name
            if let place = resolve(name) {
                places[id] = place
            } else {
                missing.append((name, objectName(id)))
            }
        }
        if !missing.isEmpty { throw LinkError.undefinedSymbols(missing) }
    }

    private func resolve(_ name: String) -> SymbolPlace? {
        switch name {
        case "_GLOBAL_OFFSET_TABLE_": return .globalOffsetTable
        case "mp_fun_table": return .funTable
        case "mp_native_qstr_table": return .qstrTable
        case "mp_native_obj_table": return .objTable
        default: break
        }
        if let definition = definitions[name] { return place(of: definition) }
        if let address = request.fixedAddresses[name] { return .fixedAddress(address) }
        if let index = funTable.index(ofNamedObject: name) { return .funTableEntry(index) }
        if let index = memoryFunctionIndex(name) {
            guard let stub = memoryFunctionStub(name: name == "memcpy" ? "memmove" : name, index: index) else {
                return .funTableEntry(index)
            }
            return .section(stub.id, offset: Int64(stub.stubEntryOffset))
        }
        return nil
    }

    /// memcpy has no entry of its own: memmove does the same job.
    func memoryFunctionIndex(_ name: String) -> Int? {
        switch name {
        case "memset": return funTable.memsetIndex
        case "memcpy", "memmove": return funTable.memmoveIndex
        default: return nil
        }
    }

    /// The stub for `name`, made on first use and placed right after the first section, where
    /// upstream mpy_ld.py puts it (so outputs stay identical).
    private func memoryFunctionStub(name: String, index: Int) -> OutputSection? {
        if let existing = stubs[name] { return sections[existing] }
        let calledDirectly = isCalledDirectly(name == "memmove" ? ["memmove", "memcpy"] : [name])
        guard let stub = backend.functionTableStub(calledDirectly: calledDirectly) else { return nil }
        let section = addSection(name: ".internal.\(name)", object: nil, data: stub.code, alignment: backend.arch.wordSize)
        section.stubFunTableIndex = index
        section.stubPointerOffset = stub.pointerOffset
        section.stubEntryOffset = stub.entryOffset
        order.insert(section.id, at: min(1, order.count))
        stubs[name] = section.id
        return section
    }

    /// Whether a code section calls one of `names` with a call instruction: a relocation in
    /// text that is neither a GOT reference nor a full address word.
    private func isCalledDirectly(_ names: [String]) -> Bool {
        sections.contains { section in
            guard section.isText, let object = section.object else { return false }
            return section.relocations.contains { relocation in
                !backend.createsGOTEntry(relocation.type) && !backend.isAbsoluteWord(relocation.type)
                    && names.contains(objects[object].symbols[relocation.symbolIndex].name)
            }
        }
    }
}
