import ELFReader
import Foundation
import Linker

/// Runtime libraries read once per process and shared by every link job: indexing libgcc.a
/// and libm.a is the expensive part of a link, so it is done once, not per module. The
/// archives are mapped, not read: a link touches their symbol index and the few members it
/// pulls in.
public final class ArchiveCache: @unchecked Sendable {
    public init() {}
    private var archives: [String: [ELFArchive]] = [:]
    private let lock = NSLock()

    /// The archives at `path`; a GNU ld script (libm.a on glibc is one) is followed to the
    /// archives in its GROUP(...).
    public func archives(at path: String) throws -> [ELFArchive] {
        lock.lock()
        defer { lock.unlock() }
        if let known = archives[path] { return known }
        var loaded: [ELFArchive] = []
        do {
            if try ArchiveReader.isArchive(path: path) {
                loaded = [try ArchiveReader.read(path: path)]
            } else {
                guard let script = FileManager.default.contents(atPath: path) else {
                    throw BuildError.io(path: path, detail: "cannot read runtime library")
                }
                let directory = (path as NSString).deletingLastPathComponent
                for member in LinkerScript.groupMembers(String(decoding: script, as: UTF8.self)) {
                    let memberPath = member.hasPrefix("/") ? member : "\(directory)/\(member)"
                    if (try? ArchiveReader.isArchive(path: memberPath)) == true {
                        loaded.append(try ArchiveReader.read(path: memberPath))
                    }
                }
            }
        } catch ELFError.unreadable(_, let detail) {
            throw BuildError.io(path: path, detail: "cannot read runtime library (\(detail))")
        }
        archives[path] = loaded
        return loaded
    }
}

/// The part of GNU ld scripts that toolchains use for their library stubs: GROUP ( a b ... ).
enum LinkerScript {
    static func groupMembers(_ text: String) -> [String] {
        var members: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "GROUP") {
            rest = rest[start.upperBound...]
            guard let open = rest.firstIndex(of: "("), let close = rest.firstIndex(of: ")") , open < close else { break }
            let inner = rest[rest.index(after: open)..<close]
            members += inner.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" || $0 == "\t" })
                .map(String.init).filter { $0 != "AS_NEEDED" && !$0.hasPrefix("-l") }
            rest = rest[rest.index(after: close)...]
        }
        return members
    }
}
