import Foundation

/// Runs a program to completion and collects its output. Used for compilers, mpy-cross, tar
/// and curl.
public enum ProcessRunner {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> Output {
        var collected = Data()
        let result = try stream(executable, arguments, in: directory) { collected.append(contentsOf: $0) }
        return Output(status: result.status, stdout: String(decoding: collected, as: UTF8.self), stderr: result.stderr)
    }

    /// Runs a program and hands its standard output to `consume` as it arrives, in chunks, for
    /// output too large to hold (a download); returns the exit status and standard error.
    public static func stream(_ executable: String, _ arguments: [String], in directory: String? = nil,
                              consume: (UnsafeRawBufferPointer) -> Void) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read standard error on the side, so a chatty program cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
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
        return (process.terminationStatus, String(decoding: errData, as: UTF8.self))
    }
}
