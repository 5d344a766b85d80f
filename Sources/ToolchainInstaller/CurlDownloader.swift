import Digest
import Foundation
import Toolchain

/// Fetches one URL into a file with curl (CurlTransfer says why curl), hashing the bytes as
/// they arrive.
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

        // A stalled connection (under 1 kB/s for 60 s) counts as a transient failure.
        let limits = ["--connect-timeout", "30", "--speed-limit", "1024", "--speed-time", "60"]
        var hasher = SHA256()
        var total: Int64 = 0
        var writeError: String?
        let result: CurlTransfer.Result
        do {
            result = try CurlTransfer(curl: curl).run(url, limits: limits) { chunk in
                if writeError == nil, let code = writeAll(output, chunk) {
                    // Keep draining so curl can finish; the failure is reported below.
                    writeError = String(cString: strerror(code))
                }
                hasher.update(chunk)
                total += Int64(chunk.count)
                received(total)
            }
        } catch {
            throw Failure(kind: .permanent, detail: "cannot run \(curl): \(error)")
        }
        if let writeError { throw Failure(kind: .permanent, detail: "cannot write \(file): \(writeError)") }
        guard !result.succeeded else { return (hasher.finalizeHex(), total) }
        throw Failure(kind: Self.classify(exitCode: result.exitCode, httpStatus: result.httpStatus), detail: result.message)
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
}
