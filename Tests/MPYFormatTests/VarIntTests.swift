import XCTest
@testable import MPYFormat

final class VarIntTests: XCTestCase {
    func testRoundTripsAcrossGroupBoundaries() {
        let values: [UInt] = [0, 1, 0x3F, 0x40, 0x7F, 0x80, 0x3FFF, 0x4000, 0x1F_FFFF, 0x20_0000, UInt(UInt32.max), UInt.max >> 1, UInt.max]
        for value in values {
            let encoded = VarInt.encode(value)
            var offset = 0
            XCTAssertEqual(VarInt.decode(encoded, at: &offset), value)
            XCTAssertEqual(offset, encoded.count)
            XCTAssertEqual(encoded.last! & 0x80, 0, "last byte ends the varint")
            XCTAssertTrue(encoded.dropLast().allSatisfy { $0 & 0x80 != 0 })
        }
    }

    func testEncodingIsBigEndianSevenBitGroups() {
        XCTAssertEqual(VarInt.encode(0), [0x00])
        XCTAssertEqual(VarInt.encode(127), [0x7F])
        XCTAssertEqual(VarInt.encode(128), [0x81, 0x00])
        XCTAssertEqual(VarInt.encode(300), [0x82, 0x2C])
        XCTAssertEqual(VarInt.encode(16384), [0x81, 0x80, 0x00])
    }

    func testDecodeStopsAtEndAndOverflow() {
        var offset = 0
        XCTAssertNil(VarInt.decode([0x81, 0x80], at: &offset), "runs out of bytes")
        offset = 0
        XCTAssertNil(VarInt.decode([UInt8](repeating: 0xFF, count: 11) + [0x00], at: &offset), "does not fit")
        offset = 1
        XCTAssertEqual(VarInt.decode([0xAA, 0x05, 0x06], at: &offset), 5)
        XCTAssertEqual(offset, 2)
    }

    func testCursorReportsOffsetsOfVarIntFailures() {
        var cursor = ByteCursor([0x81, 0x80])
        XCTAssertThrowsError(try cursor.varUInt("count")) { error in
            XCTAssertEqual(error as? MPYDecodeError, MPYDecodeError(offset: 2, problem: .truncated(expected: "count")))
        }
        var long = ByteCursor([0x00] + [UInt8](repeating: 0xFF, count: 12) + [0x00], offset: 1)
        XCTAssertThrowsError(try long.varUInt("count")) { error in
            XCTAssertEqual(error as? MPYDecodeError, MPYDecodeError(offset: 1, problem: .varIntOverflow(expected: "count")))
        }
    }

    /// LOAD_CONST_SMALL_INT's signed varint must decode back through the opcode decoder.
    func testSignedVarIntRoundTripsThroughTheOpcodeDecoder() throws {
        let values = [0, 1, -1, 63, 64, -64, -65, 8191, -8192, 8192, -8193, 1 << 40, -(1 << 40), Int.max >> 8, Int.min >> 8]
        for value in values {
            let code = [BytecodeOp.loadConstSmallInt] + BytecodeRewriter.signedVarInt(value)
            let decoded = try BytecodeDecoder.decode(code, from: 0, to: code.count)
            XCTAssertEqual(decoded.count, 1)
            XCTAssertEqual(decoded[0].argument, value)
        }
        XCTAssertEqual(BytecodeRewriter.signedVarInt(64), [0x80, 0x40])
        XCTAssertEqual(BytecodeRewriter.signedVarInt(-65), [0xFF, 0x3F])
        XCTAssertEqual(BytecodeRewriter.signedVarInt(-1), [0x7F])
    }

    func testPreludeSizeEncoding() {
        XCTAssertEqual(BytecodeRewriter.preludeSize(info: 1, cells: 0), [0x02])
        XCTAssertEqual(BytecodeRewriter.preludeSize(info: 63, cells: 1), [0x7F])
        XCTAssertEqual(BytecodeRewriter.preludeSize(info: 64, cells: 0), [0x80, 0x02])
        XCTAssertEqual(BytecodeRewriter.preludeSize(info: 0, cells: 2), [0x80, 0x01])
    }
}
