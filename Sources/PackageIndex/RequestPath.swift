import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps a request target to a file under the served root, refusing anything that could
/// leave it: `..` segments (encoded or not), backslashes, NUL bytes, dot files, and symbolic
/// links that point outside. Directories are served only through their index.html.
public enum RequestPath {
    enum Resolution: Equatable {
        case file(path: String, size: Int)
        case refused(HTTPStatus)
    }

    /// `root` must already be a canonical absolute path (realpath).
    static func resolve(_ target: String, root: String) -> Resolution {
        var path = Substring(target)
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        if path.hasPrefix("http://") || path.hasPrefix("https://") {
            // Absolute form: drop the scheme and authority.
            let afterScheme = path[path.index(path.firstIndex(of: ":")!, offsetBy: 3)...]
            path = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        }
        guard path.hasPrefix("/"), let decoded = percentDecode(path) else { return .refused(.badRequest) }
        guard !decoded.contains("\\"), !decoded.contains("\0") else { return .refused(.forbidden) }

        var segments: [String] = []
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { return .refused(.forbidden) }
            if segment.hasPrefix(".") { return .refused(.notFound) }
            segments.append(String(segment))
        }
        var candidate = ([root] + segments).joined(separator: "/")
        if isDirectory(candidate) { candidate += "/index.html" }
        guard let real = realPath(candidate) else { return .refused(.notFound) }
        guard real == root || real.hasPrefix(root == "/" ? "/" : root + "/") else { return .refused(.forbidden) }
        var info = stat()
        guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .refused(.notFound) }
        return .file(path: real, size: Int(info.st_size))
    }

    /// RFC 3986 percent-decoding to UTF-8; nil for a broken escape or invalid UTF-8.
    static func percentDecode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
