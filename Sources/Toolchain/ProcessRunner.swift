import Foundation

/// Runs a program to completion and collects its output. Used for compilers and mpy-cross.
public enum ProcessRunner {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
        /// True when the program was stopped for running past its time limit.
        public var timedOut = false
    }

    /// `timeout`: seconds after which the program and its children are stopped (SIGTERM, then SIGKILL).
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           timeout: Double? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let watchdog = Watchdog()
        if let timeout {
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                guard watchdog.fire() else { return }
                // Foundation starts the child in a process group of its own: stopping the group
                // also stops what it started (a $(shell sleep ...) holding the output pipe).
                kill(-pid, SIGTERM)
                DispatchQueue.global().asyncAfter(deadline: .now() + 2) { if watchdog.stillRunning { kill(-pid, SIGKILL) } }
            }
        }
        // Read both pipes before waiting, so a chatty compiler cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = readAll(err.fileHandleForReading.fileDescriptor)
            group.leave()
        }
        let outData = readAll(out.fileHandleForReading.fileDescriptor)
        group.wait()
        process.waitUntilExit()
        let timedOut = watchdog.finish()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), timedOut: timedOut)
    }
}

/// Reads a pipe to its end. FileHandle.readDataToEndOfFile() traps when a signal interrupts
/// the read (EINTR, e.g. a profiler's or fuzzer's timer); this retries instead.
func readAll(_ fd: Int32) -> Data {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count > 0 {
            data.append(contentsOf: buffer[0..<count])
        } else if count == 0 || errno != EINTR {
            return data
        }
    }
}

/// Decides, once, whether a run finished before its deadline or was stopped at it.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var fired = false

    /// Called at the deadline: true when the program is still running and must be stopped.
    func fire() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if finished { return false }
        fired = true
        return true
    }

    var stillRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return !finished
    }

    /// Called when the program has exited: whether the deadline stopped it.
    func finish() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        finished = true
        return fired
    }
}
