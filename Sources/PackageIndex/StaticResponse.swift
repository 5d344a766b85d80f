/// What the static server answers to one request head, decided without any I/O but the
/// file lookup: the transport (serve's event loop) only sends it. Kept apart from the
/// transport so it can be unit-tested and fuzzed on its own (Fuzz/serve_request).
public struct StaticResponse: Equatable, Sendable {
    public enum Body: Equatable, Sendable {
        case text([UInt8])
        case file(path: String, size: Int)
    }

    public var status: HTTPStatus
    public var headers: [String]
    public var body: Body
    /// False for HEAD: the headers describe the body, which is not sent.
    public var sendsBody: Bool
    /// Whether the connection stays open for another request after this one.
    public var keepAlive: Bool
    /// The request line as the log shows it, control characters escaped ("-" when unreadable).
    public var logLine: String

    public var bodySize: Int {
        switch body {
        case .text(let bytes): return bytes.count
        case .file(_, let size): return size
        }
    }

    /// The status line and headers, ready to send.
    public var headBytes: [UInt8] {
        let lines = ["HTTP/1.1 \(status.rawValue) \(status.reason)", "Server: mpyforge"] + headers
            + ["Connection: \(keepAlive ? "keep-alive" : "close")"]
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    /// The answer to a complete head (the bytes up to and including the blank line).
    /// `notFoundText` gives a 404's body for a request target (serve passes NotFoundHint's,
    /// which reads the index); without it a 404 says only its status. `rewrite` may give a
    /// found file's bytes as served to this client (request target, file path), or nil to
    /// send the file as it is (serve passes ServedInstaller's).
    public static func answer(head bytes: [UInt8], root: String,
                              notFoundText: ((String) -> String?)? = nil,
                              rewrite: ((String, String) -> [UInt8]?)? = nil) -> StaticResponse {
        guard let head = HTTPRequestHead.parse(bytes) else {
            return .error(.badRequest, logLine: "-")
        }
        let line = LogText.escaped(head.line)
        guard head.version == "HTTP/1.0" || head.version == "HTTP/1.1" else {
            return .error(.versionNotSupported, logLine: line)
        }
        guard head.method == "GET" || head.method == "HEAD" else {
            return .error(.methodNotAllowed, logLine: line, extraHeaders: ["Allow: GET, HEAD"])
        }
        let sendsBody = head.method == "GET"
        switch RequestPath.resolve(head.target, root: root) {
        case .refused(let status):
            let hint = status == .notFound ? notFoundText?(head.target) : nil
            var response = StaticResponse.error(status, logLine: line, keepAlive: head.wantsKeepAlive, text: hint)
            response.sendsBody = sendsBody
            return response
        case .file(let path, let size):
            if let body = rewrite?(head.target, path) {
                return StaticResponse(status: .ok, headers: ["Content-Type: \(ContentType.of(path))", "Content-Length: \(body.count)"],
                                      body: .text(body), sendsBody: sendsBody, keepAlive: head.wantsKeepAlive, logLine: line)
            }
            return StaticResponse(status: .ok, headers: ["Content-Type: \(ContentType.of(path))", "Content-Length: \(size)"],
                                  body: .file(path: path, size: size), sendsBody: sendsBody,
                                  keepAlive: head.wantsKeepAlive, logLine: line)
        }
    }

    /// A short text answer (the status line, unless `text` says more); by default the
    /// connection closes after it.
    public static func error(_ status: HTTPStatus, logLine: String, keepAlive: Bool = false,
                             extraHeaders: [String] = [], text: String? = nil) -> StaticResponse {
        let body = Array((text ?? "\(status.rawValue) \(status.reason)\n").utf8)
        return StaticResponse(status: status, headers: ["Content-Type: text/plain; charset=utf-8", "Content-Length: \(body.count)"] + extraHeaders,
                              body: .text(body), sendsBody: true, keepAlive: keepAlive, logLine: logLine)
    }
}
