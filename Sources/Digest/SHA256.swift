import Crypto

/// SHA-256 for content hashes: the build cache key and mip's file hashes. swift-crypto
/// computes it (BoringSSL's assembly on x86_64, several times faster than portable Swift: a
/// no-op rebuild hashes every header each job read); this type keeps the byte-array and hex
/// forms the rest of mpyforge uses in one place.
public struct SHA256 {
    private var hasher = Crypto.SHA256()

    public init() {}

    public mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if handled == nil { hasher.update(data: Array(bytes)) }
    }

    /// Hashes `buffer` in place (large inputs, read in chunks, are never copied).
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: buffer)
    }

    public mutating func update(_ text: String) { update(Array(text.utf8)) }

    public func finalize() -> [UInt8] { Array(hasher.finalize()) }

    /// The digest as 64 lowercase hex digits.
    public func finalizeHex() -> String { SHA256.hexDigits(finalize()) }

    public static func hash<S: Sequence>(_ bytes: S) -> [UInt8] where S.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        hexDigits(hash(bytes))
    }

    private static func hexDigits(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(digest.count * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
