import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A new version of a directory, built beside it and swapped in with rename(2), so a reader
/// sees either the whole old tree or the whole new one. The staging tree starts as a copy of
/// the current one; `commit` swaps, `abandon` throws the staging tree away.
struct StagedDirectory {
    let destination: String
    let path: String

    private var parent: String { (destination as NSString).deletingLastPathComponent }
    private var baseName: String { (destination as NSString).lastPathComponent }
    private var stagingPrefix: String { ".\(baseName).staging-" }
    private var previousPrefix: String { ".\(baseName).previous-" }

    init(replacing destination: String) throws(IndexError) {
        self.destination = destination
        let base = (destination as NSString).lastPathComponent
        path = "\((destination as NSString).deletingLastPathComponent)/.\(base).staging-\(getpid())"
        try recoverInterruptedRuns()
        do {
            if FileTree.exists(destination) {
                try FileManager.default.copyItem(atPath: destination, toPath: path)
            } else {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
        } catch {
            FileTree.remove(path)
            throw .unwritable(path: path, detail: "cannot stage the new index: \(error.localizedDescription)")
        }
    }

    /// Swaps the staging tree in. After an exchange the staging path holds the old tree.
    func commit() throws(IndexError) {
        if !FileTree.exists(destination) {
            guard rename(path, destination) == 0 else { throw renameError(destination) }
            return
        }
        if Self.exchange(path, destination) {
            FileTree.remove(path)
            return
        }
        // No atomic exchange on this system: two renames; a crash between them leaves the old
        // tree at `previous`, which the next publish puts back before doing anything else.
        let previous = "\(parent)/\(previousPrefix)\(getpid())"
        guard rename(destination, previous) == 0 else { throw renameError(destination) }
        guard rename(path, destination) == 0 else {
            _ = rename(previous, destination)
            throw renameError(destination)
        }
        FileTree.remove(previous)
    }

    func abandon() { FileTree.remove(path) }

    /// Leftovers of a publish that died: stale staging trees go; an old tree parked by the
    /// two-rename swap comes back if the new one never arrived.
    private func recoverInterruptedRuns() throws(IndexError) {
        let leftovers = (try? FileTree.entries(of: parent)) ?? []
        for entry in leftovers where entry.hasPrefix(stagingPrefix) { FileTree.remove("\(parent)/\(entry)") }
        for entry in leftovers where entry.hasPrefix(previousPrefix) {
            if FileTree.exists(destination) {
                FileTree.remove("\(parent)/\(entry)")
            } else if rename("\(parent)/\(entry)", destination) != 0 {
                throw renameError(destination)
            }
        }
    }

    private func renameError(_ target: String) -> IndexError {
        .unwritable(path: target, detail: "rename failed: \(String(cString: strerror(errno)))")
    }

    /// Atomically exchanges two paths (renameat2 RENAME_EXCHANGE on Linux, renamex_np
    /// RENAME_SWAP on macOS); false when the system or file system cannot.
    static func exchange(_ first: String, _ second: String) -> Bool {
        #if canImport(Glibc)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let atCurrentDirectory: Int32 = -100
        let renameExchange: UInt32 = 2
        return renameat2(atCurrentDirectory, first, atCurrentDirectory, second, renameExchange) == 0
        #elseif canImport(Darwin)
        return renamex_np(first, second, UInt32(RENAME_SWAP)) == 0
        #else
        return false
        #endif
    }
}
