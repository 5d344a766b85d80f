/// Request text on its way into the log. A request line is whatever the client sent; raw,
/// an ESC sequence in it would drive the terminal reading the log, and a newline would
/// forge a log line. Control characters (C0, DEL, C1), quotes and backslashes become \xNN.
public enum LogText {
    public static func escaped(_ text: String) -> String {
        var output = ""
        output.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0..<0x20, 0x7F..<0xA0, 0x22, 0x5C:
                output += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
