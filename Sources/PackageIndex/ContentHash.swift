import Digest

/// The SHA-256 of a file and mip's name for it: the first 8 hex digits.
public struct ContentHash: Hashable, Sendable {
    public static let shortLength = 8

    public let sha256: String

    public init(of bytes: [UInt8]) { sha256 = SHA256.hex(bytes) }

    public var short: String { String(sha256.prefix(Self.shortLength)) }

    /// Where mip fetches the content: `file/<first two>/<short hash>` under an index root.
    public var mipFilePath: String { "file/\(short.prefix(2))/\(short)" }
}
