import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An index on a web server, fetched with URLSession: one GET per file, nothing cached.
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
        guard let url = URL(string: text) else { throw .badIndexAddress(text) }
        var request = URLRequest(url: url)
        request.timeoutInterval = timeoutSeconds
        let reply = Reply()
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            reply.finish(data: data, status: (response as? HTTPURLResponse)?.statusCode, error: error)
        }
        task.resume()
        reply.done.wait()
        if let error = reply.error { throw .unreachable(url: text, detail: error.localizedDescription) }
        switch reply.status ?? 0 {
        case 200: return [UInt8](reply.data ?? Data())
        case 404, 410: return nil
        case let status: throw .httpStatus(url: text, status: status)
        }
    }

    /// What the session's completion handler hands back to the waiting caller.
    private final class Reply: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        private(set) var data: Data?
        private(set) var status: Int?
        private(set) var error: Error?

        func finish(data: Data?, status: Int?, error: Error?) {
            self.data = data
            self.status = status
            self.error = error
            done.signal()
        }
    }
}
