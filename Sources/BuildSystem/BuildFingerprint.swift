import Digest
import Foundation
import Toolchain

/// Decides whether a job's existing output is still what a rebuild would write. Two parts:
/// a fingerprint of what is known before compiling (job, compiler identity, flags, the
/// sources, mpy-cross, this mpyforge), and the headers the compiler actually read, taken
/// from its own dependency lists (-MD), each checked by content. So a header change
/// rebuilds exactly the jobs that include it, and nothing else is hashed.
final class BuildFingerprint: @unchecked Sendable {
    private var fileDigests: [String: String] = [:]
    private let lock = NSLock()

    func fingerprint(_ job: BuildJob, compiler: Compiler, flags: [String], mpyCross: String?) -> String {
        var hasher = SHA256()
        func add(_ parts: String...) { for part in parts { hasher.update(part); hasher.update([0]) } }
        add("mpyforge", BuildFingerprint.toolIdentity)
        add(job.output.name, job.arch.rawValue, job.abi.description)
        add(compiler.path, compiler.identity)
        for flag in flags { add("flag", flag) }
        for source in job.module.sources(for: job.arch) {
            add("source", source, digest(file: ModulePaths.path(source, in: job.module.directory)))
        }
        for library in job.module.libraries { add("library", library, digest(file: ModulePaths.path(library, in: job.module.directory))) }
        if !job.module.pythonSources(for: job.arch).isEmpty, let mpyCross { add("mpy-cross", mpyCross, BuildFingerprint.fileStamp(mpyCross)) }
        return hasher.finalizeHex()
    }

    /// Content digest of a file, computed once per run (many jobs share the SDK headers).
    func digest(file path: String) -> String {
        lock.lock()
        if let known = fileDigests[path] { lock.unlock(); return known }
        lock.unlock()
        let value = FileManager.default.contents(atPath: path).map { SHA256.hex([UInt8]($0)) } ?? "missing"
        lock.lock()
        fileDigests[path] = value
        lock.unlock()
        return value
    }

    /// Whether `record` still describes the inputs: same fingerprint, and every file the
    /// compiler read unchanged.
    func isCurrent(_ record: BuildRecord, fingerprint: String) -> Bool {
        record.fingerprint == fingerprint && record.dependencies.allSatisfy { digest(file: $0.path) == $0.digest }
    }

    /// A changed mpyforge (another linker) must rebuild everything; its size and time say so
    /// without hashing the whole binary on every run.
    static let toolIdentity: String = {
        "\(MPYForgeVersion.current) \(fileStamp(InstallLayout.executable))"
    }()

    static func fileStamp(_ path: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)@\(modified)"
    }
}

/// What a finished job leaves next to its intermediate files: the fingerprint of its inputs,
/// the hash of the .mpy it wrote, and the files the compiler read with their digests.
struct BuildRecord: Equatable {
    struct Dependency: Equatable {
        let path: String
        let digest: String
    }

    let fingerprint: String
    let outputDigest: String
    let dependencies: [Dependency]

    static func read(_ path: String) -> BuildRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        // Split as bytes: every no-op rebuild reads one record per job, and splitting a
        // String compares Characters (grapheme clusters), several times slower.
        let lines = [UInt8](data).split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 2 else { return nil }
        var dependencies: [Dependency] = []
        dependencies.reserveCapacity(lines.count - 2)
        for line in lines.dropFirst(2) {
            guard let space = line.utf8.firstIndex(of: UInt8(ascii: " ")) else { return nil }
            dependencies.append(Dependency(path: String(line[line.utf8.index(after: space)...]), digest: String(line[..<space])))
        }
        return BuildRecord(fingerprint: lines[0], outputDigest: lines[1], dependencies: dependencies)
    }

    func write(_ path: String) throws {
        let body = ([fingerprint, outputDigest] + dependencies.map { "\($0.digest) \($0.path)" }).joined(separator: "\n")
        try writeAtomically(Array((body + "\n").utf8), to: path)
    }
}

/// The dependency list gcc and clang write with -MD: `target: dep dep \` continued lines.
enum DependencyFile {
    static func paths(_ text: String, relativeTo directory: String) -> [String] {
        let joined = text.replacingOccurrences(of: "\\\n", with: " ")
        guard let colon = joined.range(of: ": ") else { return [] }
        return joined[colon.upperBound...].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map { word in
            let path = String(word)
            return path.hasPrefix("/") ? path : "\(directory)/\(path)"
        }
    }
}
