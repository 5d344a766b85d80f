import Foundation
import Toolchain

/// An index on a web server: one GET per file with curl (Toolchain's CurlTransfer says why not
/// URLSession), nothing cached.
public struct HTTPIndexSource: IndexSource {
    public let address: String
    public var isWebAddress: Bool { true }
    public var timeoutSeconds: Double

    public init(address: String, timeoutSeconds: Double = 30) {
        self.address = address
        self.timeoutSeconds = timeoutSeconds
    }

    public func fetch(_ relativePath: String) throws(InstallError) -> [UInt8]? {
        let text = url(of: relativePath)
        guard URL(string: text) != nil else { throw .badIndexAddress(text) }
        guard let transfer = CurlTransfer.onPath() else {
            throw .unreachable(url: text, detail: "curl is not on PATH; install it (apt-get install curl)")
        }
        var body: [UInt8] = []
        let result: CurlTransfer.Result
        do {
            result = try transfer.run(text, limits: ["--max-time", String(Int(timeoutSeconds.rounded(.up)))]) { body += $0 }
        } catch {
            throw .unreachable(url: text, detail: "\(error)")
        }
        if result.succeeded { return body }
        switch result.httpStatus {
        case 404?, 410?: return nil
        case let status?: throw .httpStatus(url: text, status: status)
        case nil: throw .unreachable(url: text, detail: result.message)
        }
    }
}
