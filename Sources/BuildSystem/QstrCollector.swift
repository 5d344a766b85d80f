import Foundation
import Linker
import MPYFormat

/// The qstr step of a natmod build: finds every MP_QSTR_name the sources use, gives static
/// qstrs their fixed number and the rest a slot in the module's qstr table, and writes the
/// header that makes `MP_QSTR_name` compile to either.
public struct QstrSet: Sendable, Equatable {
    /// Identifiers (after MP_QSTR_) of the module's own qstrs, in table order (sorted, as upstream).
    public let moduleQstrs: [String]

    public init(sources: [String]) {
        var found = Set<String>()
        for text in sources { found.formUnion(QstrSet.names(in: text)) }
        moduleQstrs = found.filter { StaticQstrs.numberByIdentifier[$0] == nil }
            .sorted { Array("MP_QSTR_\($0)".utf8).lexicographicallyPrecedes(Array("MP_QSTR_\($1)".utf8)) }
    }

    static func names(in text: String) -> Set<String> {
        var names = Set<String>()
        let bytes = Array(text.utf8)
        let prefix = Array("MP_QSTR_".utf8)
        var i = 0
        while i + prefix.count <= bytes.count {
            if bytes[i] == prefix[0], Array(bytes[i..<i + prefix.count]) == prefix {
                var end = i + prefix.count
                while end < bytes.count, isIdentifierByte(bytes[end]) { end += 1 }
                names.insert(String(decoding: bytes[(i + prefix.count)..<end], as: UTF8.self))
                i = end
            } else {
                i += 1
            }
        }
        return names
    }

    private static func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    /// The config header natmod sources include through MP_CONFIGFILE.
    public var configHeader: String {
        var lines = ["#include <stdint.h>", "typedef uintptr_t mp_off_t;"]
        for (i, entry) in StaticQstrs.entries.enumerated() {
            lines.append("#define MP_QSTR_\(entry.identifier) (\(i + 1))")
        }
        for (i, name) in moduleQstrs.enumerated() {
            lines.append("#define MP_QSTR_\(name) (mp_native_qstr_table[\(i + 1)])")
        }
        lines.append("extern const uint16_t mp_native_qstr_table[];")
        lines.append("extern const uintptr_t mp_native_obj_table[];")
        lines += QstrTableNames.headerLines(moduleQstrs)
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Reads back a config header (ours, or `mpy_ld.py --preprocess` output): the module's
/// qstrs are the ones defined as mp_native_qstr_table entries, in file order.
public enum ConfigHeader {
    public static func moduleQstrs(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("#define MP_QSTR_"), line.contains("(mp_native_qstr_table[") else { return nil }
            let name = line.dropFirst("#define MP_QSTR_".count).prefix { $0 != " " }
            return String(name)
        }
    }
}
