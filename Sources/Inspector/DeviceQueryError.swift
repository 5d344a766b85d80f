/// Why a board could not be asked what it loads.
public enum DeviceQueryError: Error, Equatable, Sendable, CustomStringConvertible {
    case mpremoteNotFound
    case mpremoteFailed(status: Int32, output: String)
    case timedOut(seconds: Int)
    /// The board answered, but not with the line we asked for.
    case unexpectedReply(String)
    /// The firmware has no sys.implementation._mpy: it cannot load .mpy files at all.
    case noMPYSupport

    public var description: String {
        switch self {
        case .mpremoteNotFound: return "mpremote not found (pip install mpremote, or set MPYFORGE_MPREMOTE)"
        case .mpremoteFailed(let status, let output): return "mpremote exited with status \(status): \(output)"
        case .timedOut(let seconds): return "the board did not answer within \(seconds) s"
        case .unexpectedReply(let text): return "unexpected reply from the board: \(text)"
        case .noMPYSupport: return "the firmware has no sys.implementation._mpy, so it cannot load .mpy files"
        }
    }
}
