import ELFReader
import MPYFormat

/// What ties an object to the qstr table it was compiled against. `MP_QSTR_name` compiles
/// to a load of `mp_native_qstr_table[i]`: the object keeps only the index, so a table given
/// to the link in another order, or without the name, silently hands the code another
/// string (or whatever follows the table). mpyforge's config header therefore also puts the
/// table's names, in order, into a section the loader never sees; the link compares them.
public enum QstrTableNames {
    /// Not loadable (see LinkContext.loadablePrefixes), so it never reaches the .mpy.
    public static let sectionName = ".mpyforge_qstr_names"

    /// The C lines a config header adds so every object carries the table it was compiled against.
    public static func headerLines(_ names: [String]) -> [String] {
        // "\000" rather than "\0": a following digit would extend a shorter octal escape.
        let literal = names.map { "\($0)\\000" }.joined()
        return [
            "#if !defined(__ASSEMBLER__) && !defined(MPYFORGE_QSTR_NAMES)",
            "#define MPYFORGE_QSTR_NAMES",
            "__attribute__((section(\"\(sectionName)\"), used)) static const char mpyforge_qstr_names[] = \"\(literal)\";",
            "#endif",
        ]
    }

    /// The names in an object's section, or nil when the object has none (not built by mpyforge).
    static func names(in object: ELFObject) -> [String]? {
        guard let section = object.sections.first(where: { $0.name == sectionName }) else { return nil }
        var names = section.data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        // The literal ends "\000" plus C's own terminator: two empty pieces after the last name.
        while names.last == "" { names.removeLast() }
        return names
    }
}

extension LinkContext {
    /// MicroPython stores a qstr's length in MICROPY_QSTR_BYTES_IN_LEN bytes (1 in every
    /// port's default configuration) and refuses longer names at import ("name too long").
    static let qstrLengthLimit = 255

    /// Pass 0: every qstr fits MicroPython's length limit, and every object that reads the
    /// qstr table was compiled against the table this link writes.
    func checkQstrTable() throws {
        for name in [request.sourceName] + request.qstrs where name.utf8.count > LinkContext.qstrLengthLimit {
            throw LinkError.qstrTooLong(qstr: name, length: name.utf8.count, limit: LinkContext.qstrLengthLimit)
        }
        for object in request.objects where object.symbols.contains(where: { $0.name == "mp_native_qstr_table" && $0.isUndefined }) {
            guard let compiled = QstrTableNames.names(in: object) else { continue }
            for (slot, name) in compiled.enumerated() where slot >= request.qstrs.count || request.qstrs[slot] != name {
                throw LinkError.qstrTableMismatch(object: object.name, qstr: name, entry: slot + 1,
                                                  given: slot < request.qstrs.count ? request.qstrs[slot] : nil,
                                                  tableSize: request.qstrs.count)
            }
        }
    }
}
