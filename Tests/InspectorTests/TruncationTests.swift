import MPYFormat
import XCTest
@testable import Inspector

/// Every prefix of a valid file, and files with bytes changed, end in an error or a report:
/// never a crash, and the error's offset lies within the bytes given.
final class TruncationTests: XCTestCase {
    func testEveryTruncationOfSmallFilesFailsCleanly() throws {
        for name in ["tiny_bytecode.mpy", "emitters_x64.mpy", "emitters_armv7emsp.mpy", "mpyforge_x64.mpy"] {
            let bytes = try InspectorFixtures.bytes(name)
            for length in 0..<bytes.count {
                do {
                    _ = try Inspector.inspect(Array(bytes[..<length]), disassemble: true)
                    XCTFail("\(name) cut to \(length) bytes decoded")
                } catch {
                    XCTAssertLessThanOrEqual(error.offset, length, "\(name) cut to \(length)")
                    XCTAssertTrue(error.description.hasPrefix("offset \(error.offset): "))
                }
            }
        }
    }

    func testChangedBytesNeverCrash() throws {
        var generator = SplitMix64(seed: 7)
        for name in ["tiny_bytecode.mpy", "emitters_x64.mpy", "mpy_ld_armv7emsp.mpy"] {
            let original = try InspectorFixtures.bytes(name)
            for _ in 0..<300 {
                var bytes = original
                for _ in 0..<3 {
                    let index = Int(generator.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: generator.next())
                }
                if let report = try? Inspector.inspect(bytes, disassemble: true) {
                    XCTAssertEqual(report.fileSize, bytes.count)
                }
                _ = try? MPYHeaderFacts(bytes)
            }
        }
    }
}

/// A small deterministic generator, so a failing case can be replayed.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
