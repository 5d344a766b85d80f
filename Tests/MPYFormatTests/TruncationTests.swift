import XCTest
@testable import MPYFormat

/// Damaged input must end in an `MPYDecodeError`, never a trap or a hang.
final class TruncationTests: XCTestCase {
    func testEveryPrefixOfSmallFilesThrows() throws {
        for fixture in ["unwind.mpy", "native_features0.mpy", "natpy.mpy", "features.mpy"] {
            let bytes = try Fixtures.bytes(fixture)
            XCTAssertNoThrow(try MPYReader.read(bytes))
            for length in 0..<bytes.count {
                XCTAssertThrowsError(try MPYReader.read(Array(bytes[..<length])), "\(fixture) prefix \(length)") { error in
                    guard let error = error as? MPYDecodeError else { return XCTFail("untyped error \(error)") }
                    XCTAssertLessThanOrEqual(error.offset, length, "\(fixture) prefix \(length)")
                }
            }
        }
    }

    func testRandomCorruptionNeverTraps() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for fixture in ["features.mpy", "native_features1.mpy", "natpy.mpy"] {
            let original = try Fixtures.bytes(fixture)
            for _ in 0..<1500 {
                var bytes = original
                for _ in 0..<(1 + next() % 4) {
                    bytes[4 + next() % (bytes.count - 4)] = UInt8(truncatingIfNeeded: next())
                }
                do {
                    let file = try MPYReader.read(bytes)
                    XCTAssertLessThanOrEqual(file.rawCode.range.upperBound, bytes.count)
                } catch {
                    XCTAssertGreaterThanOrEqual(error.offset, 0)
                }
                // Merging a damaged file must fail cleanly as well.
                _ = try? MPYMerger.merge([("a.mpy", try Fixtures.bytes("unwind.mpy")), ("b.mpy", bytes)])
            }
        }
    }
}
