import Digest
import Foundation
import Toolchain

/// The content hash of everything a job's output depends on: sources and headers (by
/// content), compiler identity and flags, the SDK, mpy-cross, and this mpyforge binary.
/// Equal fingerprints mean the existing output is what a rebuild would write.
final class BuildFingerprint: @unchecked Sendable {
    private var fileDigests: [String: String] = [:]
    private var treeDigests: [String: String] = [:]
    private let lock = NSLock()

    func fingerprint(_ job: BuildJob, compiler: Compiler, flags: [String], includeDirectories: [String],
                     sdk: String, mpyCross: String?) -> String {
        var hasher = SHA256()
        func add(_ parts: String...) { for part in parts { hasher.update(part); hasher.update([0]) } }
        add("mpyforge", BuildFingerprint.toolIdentity)
        add(job.output.name, job.arch.rawValue, job.abi.description)
        add(compiler.path, compiler.identity)
        for flag in flags { add("flag", flag) }
        for source in job.module.sources { add("source", source, digest(file: "\(job.module.directory)/\(source)")) }
        add("module headers", digest(tree: job.module.directory, suffixes: [".h"]))
        add("sdk", digest(tree: sdk, suffixes: [".h"]))
        for directory in includeDirectories { add("include", digest(tree: directory, suffixes: [".h"])) }
        if !job.module.pythonSources.isEmpty, let mpyCross { add("mpy-cross", mpyCross, BuildFingerprint.fileStamp(mpyCross)) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    func digest(file path: String) -> String {
        lock.lock()
        if let known = fileDigests[path] { lock.unlock(); return known }
        lock.unlock()
        let data = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? Array("missing".utf8)
        let value = SHA256.hex(data)
        lock.lock()
        fileDigests[path] = value
        lock.unlock()
        return value
    }

    /// Every file with one of `suffixes` below `directory`, by relative path and content.
    func digest(tree directory: String, suffixes: [String]) -> String {
        let key = directory + "|" + suffixes.joined(separator: ",")
        lock.lock()
        if let known = treeDigests[key] { lock.unlock(); return known }
        lock.unlock()
        var hasher = SHA256()
        let files = (FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? [])
            .filter { name in suffixes.contains { name.hasSuffix($0) } && !name.hasPrefix("build/") }
            .sorted()
        for file in files {
            hasher.update(file)
            hasher.update(digest(file: "\(directory)/\(file)"))
        }
        let value = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        lock.lock()
        treeDigests[key] = value
        lock.unlock()
        return value
    }

    /// A changed mpyforge (another linker) must rebuild everything; its size and time say so
    /// without hashing the whole binary on every run.
    static let toolIdentity: String = {
        let path = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        return "\(MPYForgeVersion.current) \(fileStamp(path))"
    }()

    static func fileStamp(_ path: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)@\(modified)"
    }
}

public enum MPYForgeVersion {
    public static let current = "0.1.0"
}

/// What a finished job leaves next to its intermediate files: the fingerprint of its inputs
/// and the hash of the .mpy it wrote, so a later run can trust the output without rebuilding.
struct BuildRecord: Equatable {
    let fingerprint: String
    let outputDigest: String

    static func read(_ path: String) -> BuildRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.count == 2 else { return nil }
        return BuildRecord(fingerprint: lines[0], outputDigest: lines[1])
    }

    func write(_ path: String) throws {
        try writeAtomically(Array("\(fingerprint)\n\(outputDigest)\n".utf8), to: path)
    }
}
