/// The request line of an HTTP/1.x request; the server needs nothing from the headers.
struct HTTPRequestHead: Equatable {
    var method: String
    var target: String
    var version: String

    /// The line as the log shows it.
    var line: String { "\(method) \(target) \(version)" }

    static let maximumSize = 16 * 1024

    /// Parses the bytes up to the blank line; nil when they are not an HTTP/1.x request.
    static func parse(_ bytes: [UInt8]) -> HTTPRequestHead? {
        let firstLine = bytes.prefix { $0 != UInt8(ascii: "\n") }
        guard let text = String(validating: firstLine.filter { $0 != UInt8(ascii: "\r") }, as: UTF8.self) else { return nil }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/"), !parts[0].isEmpty,
              parts[0].allSatisfy({ $0.isASCII && $0.isUppercase }) else { return nil }
        return HTTPRequestHead(method: parts[0], target: parts[1], version: parts[2])
    }

    /// Where the head ends: after "\r\n\r\n" (or a bare "\n\n" from a lax client).
    static func endOfHead(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        for index in 1..<bytes.count where bytes[index] == UInt8(ascii: "\n") {
            if bytes[index - 1] == UInt8(ascii: "\n") { return index + 1 }
            if index >= 3, bytes[index - 1] == UInt8(ascii: "\r"), bytes[index - 2] == UInt8(ascii: "\n") { return index + 1 }
        }
        return nil
    }
}
