import Foundation
import XCTest

/// Compiles small C snippets with the machine's compilers, so the reader is tested on what
/// real compilers write rather than on bytes we made up.
enum CompiledObjects {
    static func compile(_ source: String, compiler: String = "cc", flags: [String] = ["-fpic", "-Os"], link: Bool = false) throws -> [UInt8] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("elfreader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("t.c"), output = dir.appendingPathComponent("t.out")
        try source.write(to: input, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [compiler] + flags + (link ? [] : ["-c"]) + [input.path, "-o", output.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("\(compiler) could not compile the test snippet (not installed?)") }
        return [UInt8](try Data(contentsOf: output))
    }

    static func archive(_ members: [(String, [UInt8])]) throws -> [UInt8] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for (name, bytes) in members {
            let path = dir.appendingPathComponent(name).path
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            paths.append(name)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ar", "rcs", "lib.a"] + paths
        process.currentDirectoryURL = dir
        try process.run()
        process.waitUntilExit()
        return [UInt8](try Data(contentsOf: dir.appendingPathComponent("lib.a")))
    }
}
