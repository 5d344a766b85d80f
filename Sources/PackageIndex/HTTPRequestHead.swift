/// The head of an HTTP/1.x request: the request line and the few headers the server acts on.
public struct HTTPRequestHead: Equatable, Sendable {
    public var method: String
    public var target: String
    public var version: String
    /// The Connection header's tokens, lowercased ("close", "keep-alive").
    public var connection: [String] = []
    /// True when the head announces a body (Content-Length > 0 or Transfer-Encoding): the
    /// server reads none, so it cannot find the next request after it and closes instead.
    public var announcesBody = false

    /// The line as the log shows it.
    public var line: String { "\(method) \(target) \(version)" }

    /// A longer head is refused with 431.
    public static let maximumSize = 16 * 1024

    /// Whether the client asked to keep the connection: HTTP/1.1 unless "close", HTTP/1.0
    /// only with "keep-alive".
    public var wantsKeepAlive: Bool {
        guard !announcesBody, !connection.contains("close") else { return false }
        return version == "HTTP/1.1" || connection.contains("keep-alive")
    }

    public init(method: String, target: String, version: String) {
        self.method = method
        self.target = target
        self.version = version
    }

    /// Parses the bytes up to the blank line; nil when they are not an HTTP/1.x request head.
    public static func parse(_ bytes: [UInt8]) -> HTTPRequestHead? {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }[...]
        while lines.last?.isEmpty == true { lines = lines.dropLast() }
        guard let first = lines.first, let text = String(validating: first, as: UTF8.self) else { return nil }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/"), !parts[0].isEmpty,
              parts[0].allSatisfy({ $0.isASCII && $0.isUppercase }) else { return nil }
        var head = HTTPRequestHead(method: parts[0], target: parts[1], version: parts[2])
        for line in lines.dropFirst() {
            // Obsolete line folding and lines without a colon are not HTTP/1.1 header fields.
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon != line.startIndex,
                  line.first != UInt8(ascii: " "), line.first != UInt8(ascii: "\t") else { return nil }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingWhitespace
            switch name {
            case "connection":
                head.connection += value.lowercased().split(separator: ",").map { String($0).trimmingWhitespace }
            case "content-length":
                guard let length = Int(value), length >= 0 else { return nil }
                if length > 0 { head.announcesBody = true }
            case "transfer-encoding":
                head.announcesBody = true
            default:
                break
            }
        }
        return head
    }

    /// Where the head ends: after "\r\n\r\n" (or a bare "\n\n" from a lax client), searching
    /// from `start` (bytes before it were searched already, less the last three).
    public static func endOfHead<Bytes: RandomAccessCollection>(in bytes: Bytes, from start: Int = 0) -> Int?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let base = bytes.startIndex
        var index = max(1, start - 3)
        while index < bytes.count {
            defer { index += 1 }
            guard bytes[base + index] == UInt8(ascii: "\n") else { continue }
            if bytes[base + index - 1] == UInt8(ascii: "\n") { return index + 1 }
            if index >= 3, bytes[base + index - 1] == UInt8(ascii: "\r"), bytes[base + index - 2] == UInt8(ascii: "\n") { return index + 1 }
        }
        return nil
    }
}

extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
