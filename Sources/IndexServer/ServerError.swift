/// Why `mpyforge serve` could not start.
public enum ServerError: Error, CustomStringConvertible, Equatable {
    case notADirectory(String)
    case badHost(String)
    case badPort(Int)
    case bind(host: String, port: Int, detail: String)

    public var description: String {
        switch self {
        case .notADirectory(let path): return "\(path): not a directory"
        case .badHost(let host): return "\(host): not an IPv4 address (use 127.0.0.1, or 0.0.0.0 for every interface)"
        case .badPort(let port): return "port \(port): use 1 to 65535 (or 0 for any free port)"
        case .bind(let host, let port, let detail): return "cannot listen on \(host):\(port): \(detail)"
        }
    }
}
