import Foundation
import Toolchain

/// Writes through a temporary file in the same directory and renames it into place, so a
/// reader never sees a half-written file and a failed build leaves the old one.
///
/// A rename replaces whatever directory entry holds the name, so the path is looked at first:
/// a symbolic link is followed and its target replaced (the link stays), and anything that
/// is not a regular file (a device such as /dev/full, a FIFO, a socket, a directory) is
/// refused rather than silently turned into a regular file.
public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let destination = try AtomicOutput.destination(for: path)
    let temporary = "\(destination).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    try AtomicOutput.writeNew(bytes, to: temporary, reportedAs: path)
    guard rename(temporary, destination) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw BuildError.io(path: path, detail: "cannot move into place: \(reason)")
    }
}

enum AtomicOutput {
    /// The regular file a write to `path` replaces: `path` itself, or the file a symlink
    /// at `path` points to.
    static func destination(for path: String) throws -> String {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return path }
            throw BuildError.io(path: path, detail: "cannot look at the output path: \(String(cString: strerror(errno)))")
        }
        if info.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = realpath(path, nil) else {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                throw BuildError.io(path: path, detail: "is a symbolic link to '\(target)', which does not lead to a file; remove the link or give the real path")
            }
            defer { free(resolved) }
            let target = String(cString: resolved)
            guard stat(target, &info) == 0 else { return target }
            try requireRegular(info, path: path, described: "is a symbolic link to '\(target)', which")
            return target
        }
        try requireRegular(info, path: path, described: "")
        return path
    }

    private static func requireRegular(_ info: stat, path: String, described prefix: String) throws {
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: kind = "a directory"
        case S_IFCHR, S_IFBLK: kind = "a device"
        case S_IFIFO: kind = "a FIFO"
        case S_IFSOCK: kind = "a socket"
        default: kind = "not a regular file"
        }
        let subject = prefix.isEmpty ? "is" : "\(prefix) is"
        throw BuildError.io(path: path, detail: "\(subject) \(kind); outputs are written to a temporary file and renamed into place, which would replace it. Give the path of a regular file")
    }

    /// Creates `path` (which must not exist) and writes all of `bytes`, or removes it and throws.
    static func writeNew(_ bytes: [UInt8], to path: String, reportedAs reported: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw BuildError.io(path: reported, detail: "cannot write: \(String(cString: strerror(errno)))")
        }
        let failure = bytes.withUnsafeBytes { writeAll(fd, $0) }
        let closed = close(fd)
        if let code = failure ?? (closed != 0 ? errno : nil) {
            unlink(path)
            throw BuildError.io(path: reported, detail: "cannot write: \(String(cString: strerror(code)))")
        }
    }
}
