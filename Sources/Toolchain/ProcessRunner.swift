import Foundation

/// Runs a program to completion and collects its output. Used for compilers and mpy-cross.
public enum ProcessRunner {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try checkArgumentSizes(executable, arguments)
        do { try process.run() } catch {
            throw ProcessRunnerError.cannotStart(executable: executable, reason: "\((error as NSError).localizedFailureReason ?? error.localizedDescription)")
        }
        // Read both pipes before waiting, so a chatty compiler cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
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
