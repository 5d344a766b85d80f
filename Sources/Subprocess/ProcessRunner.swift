import Foundation

/// Runs a program to completion and collects its output (compilers, make, mpy-cross, objdump,
/// tar, curl), or passes it straight through (mpremote).
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
        var collected = Data()
        let result = try stream(executable, arguments, in: directory, timeout: timeout) { collected.append(contentsOf: $0) }
        return Output(status: result.status, stdout: String(decoding: collected, as: UTF8.self), stderr: result.stderr,
                      timedOut: result.timedOut)
    }

    /// Runs a program and hands its standard output to `consume` as it arrives, in chunks, for
    /// output too large to hold (a download); returns the exit status and standard error.
    public static func stream(_ executable: String, _ arguments: [String], in directory: String? = nil,
                              timeout: Double? = nil,
                              consume: (UnsafeRawBufferPointer) -> Void) throws -> (status: Int32, stderr: String, timedOut: Bool) {
        let out = Pipe(), err = Pipe()
        let process = try launch(executable, arguments, in: directory, output: out, error: err)
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
        // Read standard error on the side, so a chatty program cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = readAll(err.fileHandleForReading.fileDescriptor)
            group.leave()
        }
        let input = out.fileHandleForReading.fileDescriptor
        let chunkSize = 1 << 18
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer.baseAddress, chunkSize)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        group.wait()
        process.waitUntilExit()
        let timedOut = watchdog.finish()
        return (process.terminationStatus, String(decoding: errData, as: UTF8.self), timedOut)
    }

    /// Runs a program with its standard output and error going to `output` as they come (a
    /// command whose progress the user watches); returns the exit status.
    public static func run(_ executable: String, _ arguments: [String], passingOutputTo output: FileHandle) throws -> Int32 {
        let process = try launch(executable, arguments, in: nil, output: output, error: output)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Starts a program with standard input closed and its output going to `output` and
    /// `error` (a Pipe or a FileHandle), after checking that the system will pass its arguments.
    private static func launch(_ executable: String, _ arguments: [String], in directory: String?,
                               output: Any, error: Any) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try checkArgumentSizes(executable, arguments)
        do { try process.run() } catch {
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            throw ProcessRunnerError.cannotStart(executable: executable, reason: reason)
        }
        return process
    }

    /// Linux limits one argument to MAX_ARG_STRLEN (32 pages: 131072 bytes with its NUL) and
    /// all of them, with the environment, to ARG_MAX; beyond that exec fails with E2BIG,
    /// which Foundation reports without saying which argument was too long.
    static let singleArgumentLimit = 131_072

    static func checkArgumentSizes(_ executable: String, _ arguments: [String]) throws {
        if let long = arguments.first(where: { $0.utf8.count >= singleArgumentLimit }) {
            throw ProcessRunnerError.argumentTooLong(executable: executable, argument: String(long.prefix(60)),
                                                     length: long.utf8.count, limit: singleArgumentLimit - 1)
        }
        let environment = ProcessInfo.processInfo.environment.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 2 }
        let total = arguments.reduce(executable.utf8.count + 1) { $0 + $1.utf8.count + 1 } + environment
        let limit = sysconf(Int32(_SC_ARG_MAX))
        if limit > 0, total >= limit {
            throw ProcessRunnerError.argumentsTooLong(executable: executable, total: total, limit: limit)
        }
    }
}

public enum ProcessRunnerError: Error, CustomStringConvertible {
    case cannotStart(executable: String, reason: String)
    case argumentTooLong(executable: String, argument: String, length: Int, limit: Int)
    case argumentsTooLong(executable: String, total: Int, limit: Int)

    public var description: String {
        switch self {
        case .cannotStart(let executable, let reason):
            return "cannot run \(executable): \(reason)"
        case .argumentTooLong(let executable, let argument, let length, let limit):
            return "cannot run \(executable): the argument '\(argument)...' is \(length) bytes, and the system passes at most \(limit) bytes in one argument; shorten it (a long define belongs in a header)"
        case .argumentsTooLong(let executable, let total, let limit):
            return "cannot run \(executable): its arguments and environment take \(total) bytes, and the system allows \(limit); pass fewer or shorter flags"
        }
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
