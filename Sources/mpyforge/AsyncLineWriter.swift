import Foundation

/// Lines for standard error, written by a thread of their own. The server's event loops
/// hand lines over and never wait: when nobody drains the pipe, the writer thread blocks,
/// the queue fills, and further lines are dropped and counted, but requests (and SIGTERM)
/// are still served. A note of how many were dropped follows once writing resumes.
final class AsyncLineWriter: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [String] = []
    private var dropped = 0
    private let capacity: Int
    private let descriptor: Int32

    init(descriptor: Int32 = STDERR_FILENO, capacity: Int = 10_000) {
        self.descriptor = descriptor
        self.capacity = capacity
        let thread = Thread { [self] in drain() }
        thread.name = "log writer"
        thread.start()
    }

    /// Never blocks on the output.
    func write(_ line: String) {
        condition.lock()
        if queue.count < capacity { queue.append(line) } else { dropped += 1 }
        condition.signal()
        condition.unlock()
    }

    /// Waits at most `seconds` for queued lines to be written (at exit).
    func flush(within seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        while !queue.isEmpty, Date() < deadline { _ = condition.wait(until: min(deadline, Date().addingTimeInterval(0.05))) }
        condition.unlock()
    }

    private func drain() {
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            var lines = queue
            queue.removeAll(keepingCapacity: true)
            if dropped > 0 {
                lines.append("(\(dropped) log lines dropped: standard error was not being read)")
                dropped = 0
            }
            condition.broadcast()
            condition.unlock()
            let text = Array((lines.joined(separator: "\n") + "\n").utf8)
            var offset = 0
            while offset < text.count {
                let n = text[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                offset += n
            }
        }
    }
}
