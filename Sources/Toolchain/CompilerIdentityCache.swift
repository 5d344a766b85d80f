import Foundation
import MPYFormat

/// What a compiler said about itself (version line, target, extra flags), kept on disk and
/// keyed by the binary's path, size and modification time. Asking ten compilers costs a
/// tenth of a second per run, which a no-op build of the whole matrix cannot afford.
public final class CompilerIdentityCache: @unchecked Sendable {
    struct Entry: Codable {
        var identity: String
        var machine: String
        var extraFlags: [String]
    }

    private let file: String
    private var entries: [String: Entry]
    private var dirty = false
    private let lock = NSLock()

    public init(file: String) {
        self.file = file
        let data = FileManager.default.contents(atPath: file) ?? Data()
        entries = (try? JSONDecoder().decode([String: Entry].self, from: data)) ?? [:]
    }

    func entry(arch: NativeArch, path: String, compute: () -> Entry?) -> Entry? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let key = "\(arch.rawValue) \(path) \(size) \(modified)"
        lock.lock()
        if let known = entries[key] { lock.unlock(); return known }
        lock.unlock()
        guard let fresh = compute() else { return nil }
        lock.lock()
        entries[key] = fresh
        dirty = true
        lock.unlock()
        return fresh
    }

    /// Writes new entries back; a failure only costs the next run some time.
    public func save() {
        lock.lock()
        defer { lock.unlock() }
        guard dirty, let data = try? JSONEncoder().encode(entries) else { return }
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = "\(file).tmp-\(ProcessInfo.processInfo.processIdentifier)"
        if FileManager.default.createFile(atPath: temporary, contents: data) { _ = rename(temporary, file) }
        dirty = false
    }
}
