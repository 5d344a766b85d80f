import ELFReader
import MPYFormat

/// Why a link failed. Each case names the place first (object, section, offset, symbol)
/// and, where there is one, the change that fixes it.
public enum LinkError: Error, CustomStringConvertible {
    /// An input could not be read as ELF.
    case input(ELFError)
    /// An object compiled for another machine than the arch being linked.
    case wrongMachine(object: String, found: UInt16, arch: NativeArch)
    /// Symbols nobody defines: not the module, not MicroPython's function table, not the runtime libraries.
    case undefinedSymbols([(symbol: String, neededBy: String)])
    case duplicateSymbols([(symbol: String, objects: [String])])
    case missingEntryPoint
    /// A relocation type the arch backend does not know.
    case unknownRelocation(object: String, section: String, offset: UInt64, type: UInt32, symbol: String, arch: NativeArch)
    /// A relocation the backend knows but the .mpy format cannot express.
    case unsupportedRelocation(object: String, section: String, offset: UInt64, symbol: String, reason: String)
    /// A computed value does not fit the instruction field.
    case outOfRange(object: String, section: String, offset: UInt64, symbol: String, value: Int64, range: String)
    /// A section kind the loader cannot place, with the source change that avoids it.
    case unsupportedSection(object: String, section: String, fix: String)
    case malformed(object: String, detail: String)
    case tooLarge(detail: String)
    /// A qstr longer than MicroPython accepts at import.
    case qstrTooLong(qstr: String, length: Int, limit: Int)
    /// An object compiled against a qstr table that differs from the one being linked.
    case qstrTableMismatch(object: String, qstr: String, entry: Int, given: String?, tableSize: Int)

    public var description: String {
        switch self {
        case .input(let error):
            return error.description
        case .wrongMachine(let object, let found, let arch):
            let expected = Machine.name(Backends.backend(for: arch).machine)
            return "\(object): compiled for \(Machine.name(found)), but linking for \(arch.rawValue) needs \(expected) objects; compile it with the \(arch.rawValue) compiler"
        case .undefinedSymbols(let list):
            return list.map { "\($0.neededBy): undefined symbol '\($0.symbol)'" }.joined(separator: "\n")
                + "\n(not defined by the module's objects, MicroPython's function table, or the runtime libraries; define it, or link the library that has it)"
        case .duplicateSymbols(let list):
            return list.map { "duplicate symbol '\($0.symbol)' in \($0.objects.joined(separator: " and "))" }.joined(separator: "\n")
        case .missingEntryPoint:
            return "no symbol 'mpy_init': a native module needs the entry function that MP_DYNRUNTIME_INIT_ENTRY defines"
        case .unknownRelocation(let object, let section, let offset, let type, let symbol, let arch):
            return "\(object):(\(section)+0x\(String(offset, radix: 16))): unknown relocation type \(type) against '\(symbol)' for \(arch.rawValue)"
        case .unsupportedRelocation(let object, let section, let offset, let symbol, let reason):
            return "\(object):(\(section)+0x\(String(offset, radix: 16))): relocation against '\(symbol)': \(reason)"
        case .outOfRange(let object, let section, let offset, let symbol, let value, let range):
            return "\(object):(\(section)+0x\(String(offset, radix: 16))): relocation against '\(symbol)' out of range: \(value) is not in \(range)"
        case .unsupportedSection(let object, let section, let fix):
            return "\(object): section '\(section)' cannot be loaded by MicroPython: \(fix)"
        case .malformed(let object, let detail):
            return "\(object): \(detail)"
        case .tooLarge(let detail):
            return detail
        case .qstrTooLong(let qstr, let length, let limit):
            return "qstr '\(qstr.prefix(40))...' is \(length) bytes; MicroPython refuses names longer than \(limit) bytes at import (\"name too long\"); use a shorter name"
        case .qstrTableMismatch(let object, let qstr, let entry, let given, let tableSize):
            let found = given.map { "has '\($0)' there" } ?? "has only \(tableSize) entries"
            return "\(object): compiled with MP_QSTR_\(qstr) as qstr table entry \(entry), but the table being linked (--qstrs) \(found); link with the config header the object was compiled with, or recompile it"
        }
    }
}
