// libFuzzer target: the bytes a client sends to `mpyforge serve`, taken apart the way the
// connection handler does (find the end of each head, answer it, go on while the answer
// keeps the connection) against a small served tree with traps in it: a dot file, a
// symlink to a file outside the root, and a secret next to the root.
import Foundation
import PackageIndex

private let tree: (root: String, secret: String) = {
    let base = NSTemporaryDirectory() + "fuzz-serve-\(getpid())"
    let root = "\(base)/site"
    let manager = FileManager.default
    try? manager.createDirectory(atPath: "\(root)/x64_6.3/package/6/demo", withIntermediateDirectories: true)
    try? manager.createDirectory(atPath: "\(root)/docs", withIntermediateDirectories: true)
    for (path, text) in [("index.json", "{}"), ("x64_6.3/demo.mpy", "M\u{6}"), ("x64_6.3/package/6/demo/latest.json", "{}"),
                         ("docs/index.html", "<p>"), (".hidden", "dot"), ("../secret", "secret")] {
        _ = manager.createFile(atPath: "\(root)/\(path)", contents: Data(text.utf8))
    }
    try? manager.createSymbolicLink(atPath: "\(root)/escape", withDestinationPath: "\(base)/secret")
    return (RequestPath.realPath(root) ?? root, RequestPath.realPath("\(base)/secret") ?? "\(base)/secret")
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServeRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var pending = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // The handler searches only the new bytes of each read: the answer must not depend on
    // where reads split the stream.
    if let split = pending.first.map({ Int($0) % (pending.count + 1) }) {
        let whole = HTTPRequestHead.endOfHead(in: pending)
        let early = HTTPRequestHead.endOfHead(in: pending[..<split])
        fuzzCheck(early == nil || early == whole, "end of head differs for a prefix: \(String(describing: early)) vs \(String(describing: whole))")
        if early == nil { fuzzCheck(HTTPRequestHead.endOfHead(in: pending, from: split) == whole, "resumed search differs") }
    }
    var answered = 0
    while let end = HTTPRequestHead.endOfHead(in: pending), answered < 16 {
        fuzzCheck(end >= 2 && end <= pending.count && pending[end - 1] == UInt8(ascii: "\n"), "head end \(end) is not after a newline")
        guard end <= HTTPRequestHead.maximumSize else { break }
        let head = Array(pending[..<end])
        pending.removeFirst(end)
        let response = StaticResponse.answer(head: head, root: tree.root)
        check(response, head: head)
        answered += 1
        guard response.keepAlive else { break }
    }
    return 0
}

private func check(_ response: StaticResponse, head: [UInt8]) {
    let parsed = HTTPRequestHead.parse(head)
    // Nothing the client sent can end a header line early or start a new one.
    let headText = response.headBytes
    let terminator = Array("\r\n\r\n".utf8)
    fuzzCheck(Array(headText.suffix(4)) == terminator, "response head does not end with a blank line")
    let lines = Array(headText.dropLast(4)).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    for line in lines.dropLast() { fuzzCheck(line.last == UInt8(ascii: "\r"), "bare newline in the response head") }
    for line in lines { fuzzCheck(!line.dropLast().contains(UInt8(ascii: "\r")), "bare carriage return in the response head") }
    fuzzCheck(!response.logLine.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) },
              "control character in the log line: \(response.logLine.debugDescription)")
    let length = "Content-Length: \(response.bodySize)"
    fuzzCheck(response.headers.contains(length), "Content-Length does not match the body")
    if parsed?.announcesBody == true || parsed == nil { fuzzCheck(!response.keepAlive, "kept a connection whose next request cannot be found") }
    guard response.status == .ok else {
        if case .file = response.body { fuzzCheck(false, "a file body on a \(response.status.rawValue)") }
        return
    }
    fuzzCheck(parsed?.method == "GET" || parsed?.method == "HEAD", "200 for method \(parsed?.method ?? "?")")
    guard case .file(let path, let size) = response.body else { return fuzzCheck(false, "200 without a file") }
    fuzzCheck(path.hasPrefix(tree.root + "/"), "served \(path), outside \(tree.root)")
    fuzzCheck(path != tree.secret, "served the secret through \(parsed?.target ?? "?")")
    let inside = path.dropFirst(tree.root.count + 1).split(separator: "/")
    fuzzCheck(!inside.contains { $0.hasPrefix(".") }, "served a dot file: \(path)")
    var info = stat()
    fuzzCheck(stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && Int(info.st_size) == size, "served \(path), not the regular file it says")
}
