import Digest
import XCTest

final class SHA256Tests: XCTestCase {
    // Test vectors from the FIPS 180-4 examples, each checked against `sha256sum`.
    func testKnownVectors() {
        XCTAssertEqual(SHA256.hex(Array("".utf8)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testIncrementalEqualsOneShot() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var hasher = SHA256()
        hasher.update(data[0..<3])
        hasher.update(data[3..<200])
        hasher.update(data[200...])
        XCTAssertEqual(hasher.finalize(), SHA256.hash(data))
        XCTAssertEqual(hasher.finalizeHex(), SHA256.hex(data))
    }

    func testBufferPiecesHashLikeTheWhole() {
        var hasher = SHA256()
        for piece in ["a", "", "bc"] { Array(piece.utf8).withUnsafeBytes { hasher.update($0) } }
        XCTAssertEqual(hasher.finalizeHex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// Contiguous chunks of every awkward size (taking the block-at-a-time path) hash the same
    /// as the byte-at-a-time path over a non-contiguous sequence of the same bytes.
    func testChunkedBuffersEqualByteByByte() {
        let data = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 3) }
        var bytewise = SHA256()
        bytewise.update(data.lazy.map { $0 })
        var chunked = SHA256()
        var offset = 0
        for size in [1, 63, 64, 65, 127, 200, 7, 1000, 64, 3000] where offset < data.count {
            let end = min(offset + size, data.count)
            data[offset..<end].withUnsafeBytes { chunked.update($0) }
            offset = end
        }
        data[offset...].withUnsafeBytes { chunked.update($0) }
        XCTAssertEqual(chunked.finalize(), bytewise.finalize())
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
