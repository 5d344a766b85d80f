import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One client connection of the static server: read the head, answer, close.
struct Connection {
    let descriptor: Int32
    let peer: String
    let server: StaticFileServer

    private static let chunkSize = 64 * 1024
    #if canImport(Glibc)
    private static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    private static let sendFlags: Int32 = 0
    #endif

    func serve() {
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: server.configuration.timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        guard let headBytes = readHead() else {
            answer(.requestHeaderTooLarge, line: "-", isHead: false)
            return
        }
        // A client that connected and said nothing (or stalled past the timeout) gets no answer.
        guard !headBytes.isEmpty else { return }
        guard let head = HTTPRequestHead.parse(headBytes) else {
            answer(.badRequest, line: "-", isHead: false)
            return
        }
        guard head.version == "HTTP/1.0" || head.version == "HTTP/1.1" else {
            answer(.versionNotSupported, line: head.line, isHead: false)
            return
        }
        guard head.method == "GET" || head.method == "HEAD" else {
            answer(.methodNotAllowed, line: head.line, isHead: false, extraHeaders: ["Allow: GET, HEAD"])
            return
        }
        let isHead = head.method == "HEAD"
        switch RequestPath.resolve(head.target, root: server.root) {
        case .refused(let status):
            let hint = status == .notFound ? NotFoundHint.body(forTarget: head.target, root: server.root) : nil
            answer(status, line: head.line, isHead: isHead, text: hint)
        case .file(let path, let size):
            sendFile(path, size: size, line: head.line, isHead: isHead)
        }
    }

    /// Too many connections at once: a short 503 from the accept loop, no thread.
    func refuseBusy() {
        answer(.serviceUnavailable, line: "-", isHead: false)
        close(descriptor)
    }

    /// The bytes up to the end of the head (what arrived, if the client stopped early);
    /// nil when the head is larger than the server accepts.
    private func readHead() -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < HTTPRequestHead.maximumSize {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { return bytes }
            bytes += buffer[0..<count]
            if let end = HTTPRequestHead.endOfHead(in: bytes) { return Array(bytes[..<end]) }
        }
        return nil
    }

    private func answer(_ status: HTTPStatus, line: String, isHead: Bool, extraHeaders: [String] = [], text: String? = nil) {
        let body = Array((text ?? "\(status.rawValue) \(status.reason)\n").utf8)
        var headers = ["Content-Type: text/plain; charset=utf-8", "Content-Length: \(body.count)"] + extraHeaders
        headers.append("Connection: close")
        let sent = transmit(head(status, headers)) && (isHead || transmit(body))
        log(line, status, bytes: sent && !isHead ? body.count : 0)
    }

    private func sendFile(_ path: String, size: Int, line: String, isHead: Bool) {
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else {
            answer(.notFound, line: line, isHead: isHead)
            return
        }
        defer { close(file) }
        let headers = ["Content-Type: \(ContentType.of(path))", "Content-Length: \(size)", "Connection: close"]
        guard transmit(head(.ok, headers)) else { return log(line, .ok, bytes: 0) }
        var total = 0
        if !isHead {
            var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
            while total < size {
                let count = read(file, &buffer, buffer.count)
                guard count > 0, transmit(Array(buffer[0..<count])) else { break }
                total += count
            }
        }
        log(line, .ok, bytes: total)
    }

    private func head(_ status: HTTPStatus, _ headers: [String]) -> [UInt8] {
        let lines = ["HTTP/1.1 \(status.rawValue) \(status.reason)", "Server: mpyforge"] + headers
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    private func transmit(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Self.sendFlags) }
            if count <= 0 { return false }
            offset += count
        }
        return true
    }

    private func log(_ line: String, _ status: HTTPStatus, bytes: Int) {
        server.report("\(peer) \"\(line)\" \(status.rawValue) \(bytes)")
    }
}
