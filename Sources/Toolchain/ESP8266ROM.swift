/// Compiler-runtime helpers that the ESP8266 mask ROM provides at fixed addresses. Debian's
/// xtensa-lx106 libgcc leaves them out because the ROM has them, so an xtensa module links
/// them by address instead of pulling code in. Facts from MicroPython's
/// ports/esp8266/boards/eagle.rom.addr.v6.ld (the ROM list upstream natmod builds use).
public enum ESP8266ROM {
    public static let runtimeHelpers: [String: UInt64] = [
        "__adddf3": 0x4000c538, "__addsf3": 0x4000c180, "__divdf3": 0x4000cb94, "__divdi3": 0x4000ce60,
        "__divsi3": 0x4000dc88, "__extendsfdf2": 0x4000cdfc, "__fixdfsi": 0x4000ccb8, "__fixunsdfsi": 0x4000cd00,
        "__fixunssfsi": 0x4000c4c4, "__floatsidf": 0x4000e2f0, "__floatsisf": 0x4000e2ac, "__floatunsidf": 0x4000e2e8,
        "__floatunsisf": 0x4000e2a4, "__muldf3": 0x4000c8f0, "__muldi3": 0x40000650, "__mulsf3": 0x4000c3dc,
        "__subdf3": 0x4000c688, "__subsf3": 0x4000c268, "__truncdfsf2": 0x4000cd5c, "__udivdi3": 0x4000d310,
        "__udivsi3": 0x4000e21c, "__umoddi3": 0x4000d770, "__umodsi3": 0x4000e268, "__umulsidi3": 0x4000dcf0,
    ]
}

/// Reads fixed-address symbols from a GNU ld script: `name = 0x1234;` and
/// `PROVIDE(name = 0x1234);`, as ESP-IDF and the ESP8266 SDK list their ROM functions.
public enum FixedAddressScript {
    public struct DuplicateSymbol: Error, CustomStringConvertible {
        public let file: String
        public let symbol: String
        public var description: String { "\(file): symbol '\(symbol)' is given twice" }
    }

    public static func parse(_ text: String, file: String) throws -> [String: UInt64] {
        var symbols: [String: UInt64] = [:]
        var inComment = false
        for rawLine in text.split(separator: "\n") {
            var line = Substring(rawLine)
            if inComment {
                guard let end = line.range(of: "*/") else { continue }
                line = line[end.upperBound...]
                inComment = false
            }
            while let start = line.range(of: "/*") {
                if let end = line[start.upperBound...].range(of: "*/") {
                    line = line[..<start.lowerBound] + line[end.upperBound...]
                } else {
                    line = line[..<start.lowerBound]
                    inComment = true
                }
            }
            var compact = line.filter { !$0.isWhitespace }
            if compact.hasPrefix("//") { continue }
            if compact.hasPrefix("PROVIDE("), compact.hasSuffix(");") {
                compact = String(compact.dropFirst("PROVIDE(".count).dropLast(2)) + ";"
            }
            guard compact.hasSuffix(";"), let equals = compact.firstIndex(of: "=") else { continue }
            let name = String(compact[..<equals])
            let value = compact[compact.index(after: equals)...].dropLast()
            guard let first = name.first, first.isLetter || first == "_",
                  name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
                  value.hasPrefix("0x"), let address = UInt64(value.dropFirst(2), radix: 16) else { continue }
            guard symbols[name] == nil else { throw DuplicateSymbol(file: file, symbol: name) }
            symbols[name] = address
        }
        return symbols
    }
}
