import MPYFormat

/// Object-table constants written as Python would write them.
enum ObjectDescription {
    static func type(_ value: MPYObject.Value) -> String {
        switch value {
        case .funTable: return "fun_table"
        case .none: return "none"
        case .bool: return "bool"
        case .ellipsis: return "ellipsis"
        case .str: return "str"
        case .bytes: return "bytes"
        case .int: return "int"
        case .float: return "float"
        case .complex: return "complex"
        case .tuple: return "tuple"
        }
    }

    static func text(_ value: MPYObject.Value) -> String {
        switch value {
        case .funTable: return "mp_fun_table"
        case .none: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .ellipsis: return "..."
        case .str(let text): return quoted(text)
        case .bytes(let data): return "b'" + data.map(byteText).joined() + "'"
        case .int(let text), .float(let text), .complex(let text): return text
        case .tuple(let items):
            let inner = items.map { text($0.value) }
            return "(" + inner.joined(separator: ", ") + (inner.count == 1 ? ",)" : ")")
        }
    }

    static func quoted(_ text: String) -> String {
        var out = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                out += scalar.value < 0x20 || scalar.value == 0x7F
                    ? "\\x" + hex2(UInt8(scalar.value)) : String(scalar)
            }
        }
        return out + "'"
    }

    private static func byteText(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "'"): return "\\'"
        case UInt8(ascii: "\\"): return "\\\\"
        case 0x20..<0x7F: return String(UnicodeScalar(byte))
        default: return "\\x" + hex2(byte)
        }
    }

    private static func hex2(_ byte: UInt8) -> String {
        let text = String(byte, radix: 16)
        return text.count == 1 ? "0" + text : text
    }
}
