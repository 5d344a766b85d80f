/// How often a download is tried and how long to wait between tries: the delay doubles after
/// each failure (1 s, 2 s, ...), so a server that is briefly down is not hammered.
public struct RetryPolicy: Sendable {
    public var attempts: Int
    public var firstDelay: Double

    public init(attempts: Int = 3, firstDelay: Double = 1) {
        self.attempts = max(1, attempts)
        self.firstDelay = firstDelay
    }

    /// Seconds to wait after failed attempt `attempt` (1-based).
    public func delay(after attempt: Int) -> Double {
        firstDelay * Double(1 << min(attempt - 1, 10))
    }
}
