import ELFReader
import MPYFormat

extension LinkContext {
    /// Names MicroPython itself provides to a native module; never taken from a library.
    func isProvidedByMicroPython(_ name: String) -> Bool {
        ["mp_fun_table", "mp_native_qstr_table", "mp_native_obj_table", "_GLOBAL_OFFSET_TABLE_",
         "memset", "memcpy", "memmove"].contains(name)
            || funTable.index(ofNamedObject: name) != nil
            || request.fixedAddresses[name] != nil
    }

    /// Pass 2: pulls the archive members that define what the objects leave undefined, and
    /// what those members need in turn, searching the archives in the order given.
    func pullRuntimeLibraryMembers() throws {
        guard !request.archives.isEmpty else { return }
        var provided = Set(definitions.keys)
        var queue = undefined.map { symbol($0).name }.filter { !isProvidedByMicroPython($0) }
        var taken = Set<[Int]>()  // [archive, member]
        var cursor = 0
        while cursor < queue.count {
            let name = queue[cursor]
            cursor += 1
            if provided.contains(name) { continue }
            for (archiveNumber, archive) in request.archives.enumerated() {
                guard let member = archive.definitions[name] else { continue }
                if taken.insert([archiveNumber, member]).inserted {
                    let object: ELFObject
                    do { object = try archive.object(at: member) } catch let error as ELFError { throw LinkError.input(error) }
                    pulledMembers.append(object.name)
                    let firstNew = undefined.count
                    try loadObject(object)
                    for symbol in object.symbols where symbol.isGlobalOrWeak && !symbol.isUndefined {
                        provided.insert(symbol.name)
                    }
                    // Weak references do not pull members in, as with a classic static link.
                    for id in undefined[firstNew...] where !provided.contains(symbol(id).name) && !isProvidedByMicroPython(symbol(id).name) {
                        queue.append(symbol(id).name)
                    }
                }
                break
            }
        }
    }
}
