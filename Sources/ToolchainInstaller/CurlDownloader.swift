import Digest
import Foundation
import Toolchain

/// Fetches one URL into a file with curl, hashing the bytes as they arrive.
///
/// Why curl and not URLSession: on Linux URLSession lives in FoundationNetworking, which links
/// libcurl anyway; linking it into mpyforge would make every command (`link` included) load it
/// at start-up and refuse to start on a machine without libcurl. curl is on every macOS and
/// almost every Linux, and brings proxies (HTTPS_PROXY), certificates, redirects and file://
/// URLs (for --mirror pointing at a directory) for free. Its absence is one clear error.
struct CurlDownloader {
    /// Why one attempt failed, and whether trying again can help.
    struct Failure: Error {
        enum Kind { case transient, offline, notServed(Int), permanent }
        let kind: Kind
        let detail: String
    }

    let curl: String

    /// Downloads `url` to `file` (created or truncated) and returns the SHA-256 (hex) and the
    /// byte count. `received` is called with the running total as data arrives.
    func fetch(_ url: String, to file: String, received: (Int64) -> Void) throws(Failure) -> (sha256: String, bytes: Int64) {
        let output = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard output >= 0 else { throw Failure(kind: .permanent, detail: "cannot create \(file): \(String(cString: strerror(errno)))") }
        defer { close(output) }

        let arguments = [
            "--silent", "--show-error", "--location", "--fail",
            "--connect-timeout", "30",
            // A stalled connection (under 1 kB/s for 60 s) counts as a transient failure.
            "--speed-limit", "1024", "--speed-time", "60",
            "--write-out", "%{stderr}\(Self.statusMarker)%{http_code}\n",
            url,
        ]
        var hasher = SHA256()
        var total: Int64 = 0
        var writeError: String?
        let result: (status: Int32, stderr: String)
        do {
            result = try ProcessRunner.stream(curl, arguments) { chunk in
                if writeError == nil, !Self.writeAll(output, chunk) {
                    // Keep draining so curl can finish; the failure is reported below.
                    writeError = String(cString: strerror(errno))
                }
                hasher.update(chunk)
                total += Int64(chunk.count)
                received(total)
            }
        } catch {
            throw Failure(kind: .permanent, detail: "cannot run \(curl): \(error)")
        }
        if let writeError { throw Failure(kind: .permanent, detail: "cannot write \(file): \(writeError)") }

        let stderrText = result.stderr
        let status = Self.httpStatus(in: stderrText)
        // "curl: (6) Could not resolve host: x" -> "Could not resolve host: x"
        let message = stderrText.split(separator: "\n").filter { !$0.hasPrefix(Self.statusMarker) }
            .map { $0.replacingOccurrences(of: #"^curl: \(\d+\) "#, with: "", options: .regularExpression) }
            .joined(separator: " ")
        let code = result.status
        guard code != 0 else {
            return (hasher.finalizeHex(), total)
        }
        throw Failure(kind: Self.classify(exitCode: code, httpStatus: status), detail: message.isEmpty ? "curl exited with \(code)" : message)
    }

    private static let statusMarker = "mpyforge-http-status="

    private static func httpStatus(in text: String) -> Int? {
        text.split(separator: "\n").last { $0.hasPrefix(statusMarker) }.flatMap { Int($0.dropFirst(statusMarker.count)) }
    }

    /// curl's exit codes (curl(1), EXIT CODES) sorted by whether a retry can help.
    private static func classify(exitCode: Int32, httpStatus: Int?) -> Failure.Kind {
        switch exitCode {
        case 6, 5: // could not resolve host / proxy: no network or no DNS
            return .offline
        case 22: // HTTP error >= 400 (with --fail)
            guard let status = httpStatus else { return .permanent }
            if status >= 500 || status == 408 || status == 429 { return .transient }
            return .notServed(status)
        case 7, 16, 18, 28, 35, 52, 55, 56, 92: // connect refused, HTTP/2, partial body, timeout, TLS, empty reply, send/receive
            return .transient
        default:
            return .permanent
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
