/// Why an input could not be read as a relocatable object or archive.
public enum ELFError: Error, CustomStringConvertible, Equatable {
    /// The file is not ELF (or not an archive, where one was expected).
    case notELF(file: String, detail: String)
    /// An ELF file that is not a relocatable object (an executable or shared library).
    case notRelocatable(file: String, type: UInt16)
    /// A structure libelf could not decode, or that points outside the file.
    case malformed(file: String, detail: String)
    case unreadable(file: String, detail: String)

    public var description: String {
        switch self {
        case .notELF(let file, let detail):
            return "\(file): not an ELF object file or archive (\(detail))"
        case .notRelocatable(let file, let type):
            return "\(file): ELF type \(type) is not a relocatable object (ET_REL); pass the .o files the compiler wrote with -c"
        case .malformed(let file, let detail):
            return "\(file): malformed ELF: \(detail)"
        case .unreadable(let file, let detail):
            return "\(file): cannot read: \(detail)"
        }
    }
}

extension ELFError {
    /// A name read from the file (section, symbol, archive member), made safe to put in a
    /// message: control characters are escaped, so a hostile name cannot break the one-line
    /// error or forge lines of its own (found by Fuzz/elf).
    static func printable(_ name: String) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
