import Foundation
import Subprocess

/// One HTTP(S) or file:// transfer by curl, shared by the toolchain downloads and the index
/// fetches of `mpyforge install`.
///
/// Why curl and not URLSession: on Linux URLSession lives in FoundationNetworking, which links
/// libcurl anyway; linking it into mpyforge would make every command (`link` included) load it
/// at start-up, keep the wheel's binary from being self-contained, and refuse to start on a
/// machine without libcurl. curl is on every macOS and almost every Linux, and brings proxies
/// (HTTPS_PROXY), certificates, redirects and file:// URLs for free. Its absence is one clear
/// error, raised by the caller.
public struct CurlTransfer: Sendable {
    /// How a transfer ended: curl's exit code, the HTTP status if the server answered, and
    /// curl's own message without its "curl: (N)" prefix.
    public struct Result: Sendable {
        public let exitCode: Int32
        public let httpStatus: Int?
        public let message: String
        public var succeeded: Bool { exitCode == 0 }
    }

    public let curl: String

    public init(curl: String) { self.curl = curl }

    /// The curl found on PATH, if any.
    public static func onPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> CurlTransfer? {
        PathSearch.find("curl", environment: environment).map(CurlTransfer.init(curl:))
    }

    /// Fetches `url`, handing the body to `consume` as it arrives. `limits` are extra curl
    /// options (timeouts). Throws only when curl cannot be run at all.
    public func run(_ url: String, limits: [String], consume: (UnsafeRawBufferPointer) -> Void) throws -> Result {
        let arguments = ["--silent", "--show-error", "--location", "--fail"] + limits
            + ["--write-out", "%{stderr}\(Self.statusMarker)%{http_code}\n", url]
        let result = try ProcessRunner.stream(curl, arguments, consume: consume)
        let lines = result.stderr.split(separator: "\n")
        let status = lines.last { $0.hasPrefix(Self.statusMarker) }.flatMap { Int($0.dropFirst(Self.statusMarker.count)) }
        // "curl: (6) Could not resolve host: x" -> "Could not resolve host: x"
        let message = lines.filter { !$0.hasPrefix(Self.statusMarker) }
            .map { $0.replacingOccurrences(of: #"^curl: \(\d+\) "#, with: "", options: .regularExpression) }
            .joined(separator: " ")
        return Result(exitCode: result.status, httpStatus: status == 0 ? nil : status,
                      message: message.isEmpty ? "curl exited with \(result.status)" : message)
    }

    private static let statusMarker = "mpyforge-http-status="
}
