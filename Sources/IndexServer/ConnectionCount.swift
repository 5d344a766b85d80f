import Foundation

/// Open connections across the event loops, against the configured ceiling. The ceiling is
/// about file descriptors, not concurrency: a connection costs a buffer and a descriptor,
/// never a thread, so it can be thousands.
final class ConnectionCount: @unchecked Sendable {
    private let lock = NSLock()
    private var open = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Counts a new connection; false (and not counted) when the ceiling is reached.
    func admit() -> Bool {
        lock.withLock {
            guard open < limit else { return false }
            open += 1
            return true
        }
    }

    func release() { lock.withLock { open -= 1 } }

    var current: Int { lock.withLock { open } }
}
