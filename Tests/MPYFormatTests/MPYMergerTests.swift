import XCTest
@testable import MPYFormat

/// Goldens were made by upstream `mpy-tool.py --merge` (see Fixtures/merge/README.md).
final class MPYMergerTests: XCTestCase {
    private func merge(_ names: [String]) throws -> [UInt8] {
        try MPYMerger.merge(names.map { ($0, try Fixtures.bytes($0)) })
    }

    private func assertByteExact(_ golden: String, _ inputs: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try Fixtures.bytes(golden)
        let actual = try merge(inputs)
        if actual != expected {
            let first = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(actual.count, expected.count)
            XCTFail("\(golden): \(actual.count) bytes vs \(expected.count), first difference at \(first)", file: file, line: line)
        }
    }

    func testSingleInputIsCopied() throws {
        try assertByteExact("golden_single.mpy", ["features.mpy"])
    }

    func testBytecodeMergesAreByteExact() throws {
        try assertByteExact("golden_many_jumps.mpy", ["many.mpy", "jumps.mpy"])
        try assertByteExact("golden_features_many_jumps.mpy", ["features.mpy", "many.mpy", "jumps.mpy"])
        try assertByteExact("golden_jumps_many_features.mpy", ["jumps.mpy", "many.mpy", "features.mpy"])
    }

    func testNativeInputMovesToTheFront() throws {
        try assertByteExact("golden_native_middle.mpy", ["features.mpy", "native_features0.mpy", "many.mpy", "jumps.mpy"])
        try assertByteExact("golden_natpy_many_features.mpy", ["many.mpy", "natpy.mpy", "features.mpy"])
        // The merge upstream's natmod Makefile performs for examples/natmod/features2.
        try assertByteExact("golden_features2.mpy", ["native_features2_c.mpy", "native_features2_py.mpy"])
    }

    /// The fixtures really exercise what makes re-layout necessary: indices that need a second
    /// varint byte after shifting, and jumps that grow from one offset byte to two.
    func testRewriteCrossesVarIntAndJumpBoundaries() throws {
        let many = try MPYReader.read(try Fixtures.bytes("many.mpy"))
        XCTAssertGreaterThan(many.qstrs.count, 128)
        XCTAssertGreaterThan(many.objects.count, 128)
        let jumps = try MPYReader.read(try Fixtures.bytes("jumps.mpy"))
        XCTAssertLessThan(jumps.qstrs.count + jumps.objects.count, 256)
        let merged = try MPYReader.read(try merge(["many.mpy", "jumps.mpy"]))
        XCTAssertEqual(merged.qstrs.count, many.qstrs.count + jumps.qstrs.count)

        func twoByteJumps(_ code: MPYRawCode) -> Int {
            code.instructions.filter { $0.format == .offset && $0.size - ($0.extraByte == nil ? 0 : 1) == 3 }.count
                + code.children.map(twoByteJumps).reduce(0, +)
        }
        let rewritten = merged.rawCode.children[1]
        XCTAssertGreaterThan(twoByteJumps(rewritten), twoByteJumps(jumps.rawCode))
        // Same instructions, same meaning: only indices and layout changed.
        func opcodes(_ code: MPYRawCode) -> [UInt8] { code.instructions.map(\.opcode) + code.children.flatMap(opcodes) }
        XCTAssertEqual(opcodes(rewritten), opcodes(jumps.rawCode))
        // Line-number info is dropped by the rewrite, as upstream does.
        XCTAssertTrue(rewritten.children.allSatisfy { $0.prelude!.lineInfoRange.isEmpty })
    }

    /// Upstream decodes UNWIND_JUMP's target after the extra byte while the VM (and upstream's
    /// own encoder) count it before, so upstream moves such a jump one byte on. We keep the
    /// target; the output differs from upstream's in exactly that offset byte.
    func testUnwindJumpKeepsItsTargetWhereUpstreamShiftsIt() throws {
        let upstream = try Fixtures.bytes("golden_many_unwind.mpy")
        let ours = try merge(["many.mpy", "unwind.mpy"])
        XCTAssertEqual(ours.count, upstream.count)
        let differences = zip(ours, upstream).enumerated().filter { $0.element.0 != $0.element.1 }
        XCTAssertEqual(differences.count, 1)
        if let difference = differences.first {
            XCTAssertEqual(Int(difference.element.0) + 1, Int(difference.element.1))
        }
        let original = try MPYReader.read(try Fixtures.bytes("unwind.mpy"))
        let merged = try MPYReader.read(ours)
        func unwindTargetOpcode(_ code: MPYRawCode, _ bytes: [UInt8]) -> UInt8? {
            code.instructions.first { $0.opcode == BytecodeOp.unwindJump }.map { bytes[$0.jumpTarget!] }
        }
        XCTAssertEqual(unwindTargetOpcode(merged.rawCode.children[1].children[0], ours),
                       unwindTargetOpcode(original.rawCode.children[0], try Fixtures.bytes("unwind.mpy")))
    }

    func testMergedOutputDecodesAndCountsAddUp() throws {
        let inputs = ["features.mpy", "native_features0.mpy", "many.mpy", "jumps.mpy"]
        let files = try inputs.map { try MPYReader.read(try Fixtures.bytes($0)) }
        let merged = try MPYReader.read(try merge(inputs))
        XCTAssertEqual(merged.header.arch, .x64)
        XCTAssertEqual(merged.qstrs.map(\.text), ([files[1], files[0], files[2], files[3]]).flatMap { $0.qstrs.map(\.text) })
        XCTAssertEqual(merged.objects.count, files.map(\.objects.count).reduce(0, +))
        XCTAssertEqual(merged.rawCode.children.map(\.kind), [.nativeViper, .bytecode, .bytecode, .bytecode])
        XCTAssertEqual(merged.rawCode.instructions.filter { $0.opcode == BytecodeOp.makeFunction }.map(\.argument), [0, 1, 2, 3])
    }

    func testErrorsNameTheFile() throws {
        let features = try Fixtures.bytes("features.mpy")
        let native = try Fixtures.bytes("native_features0.mpy")
        let natpy = try Fixtures.bytes("natpy.mpy")
        var x86 = native
        x86[2] = 1 << 2 | 3

        func failure(_ inputs: [(name: String, bytes: [UInt8])]) -> MPYMergeError? {
            do { _ = try MPYMerger.merge(inputs); return nil } catch { return error }
        }
        XCTAssertEqual(failure([]), .noInputs)
        XCTAssertEqual(failure([("natpy.mpy", natpy), ("features0.mpy", native)]),
                       .moreThanOneNative(first: "natpy.mpy", second: "features0.mpy"))
        XCTAssertEqual(failure([("natpy.mpy", natpy), ("features.mpy", features), ("x86.mpy", x86)]),
                       .archMismatch(file: "x86.mpy", expected: 2, found: 1))
        XCTAssertEqual(failure([("old.mpy", [0x4D, 5, 0, 31]), ("features.mpy", features)]),
                       .incompatibleVersion(file: "old.mpy", found: 5))
        guard case .notAnMPY(let file, _) = failure([("features.mpy", features), ("README.md", Array("# hi".utf8))]) else {
            return XCTFail("text file accepted")
        }
        XCTAssertEqual(file, "README.md")
        guard case .malformed(let damaged, _) = failure([("features.mpy", features), ("cut.mpy", Array(features.prefix(40)))]) else {
            return XCTFail("truncated file accepted")
        }
        XCTAssertEqual(damaged, "cut.mpy")
        var future = native
        future[2] = 2 << 2 | 1
        XCTAssertEqual(failure([("future.mpy", future), ("features.mpy", features)]),
                       .incompatibleSubVersion(file: "future.mpy", found: 1))
        XCTAssertTrue(MPYMergeError.moreThanOneNative(first: "a.mpy", second: "b.mpy").description.contains("'b.mpy'"))
    }
}

/// `.shared` (what `mpyforge build` uses): a qstr an earlier input already has is stored once,
/// and every rewritten reference still names the same text.
final class MPYMergerSharedQstrTests: XCTestCase {
    private func inputs(_ names: [String]) throws -> [(name: String, bytes: [UInt8])] {
        try names.map { ($0, try Fixtures.bytes($0)) }
    }

    /// The text each qstr argument (and prelude name) of a code tree refers to, in order.
    private func qstrTexts(_ code: MPYRawCode, _ table: [MPYQstr]) -> [String] {
        let names = code.prelude.map { [$0.simpleName] + $0.argNames } ?? []
        let arguments = code.instructions.filter { $0.format == .qstr }.compactMap(\.argument)
        return (names + arguments).map { table[$0].text } + code.children.flatMap { qstrTexts($0, table) }
    }

    func testLaterInputsReuseEqualQstrsAndKeepTheirMeaning() throws {
        for names in [["features.mpy", "many.mpy", "jumps.mpy"], ["native_features2_c.mpy", "native_features2_py.mpy"],
                      ["many.mpy", "natpy.mpy", "features.mpy"]] {
            let parts = try inputs(names)
            let concatenated = try MPYReader.read(try MPYMerger.merge(parts))
            let shared = try MPYReader.read(try MPYMerger.merge(parts, qstrLayout: .shared))
            // no text twice, except within the first input (the native one goes first), whose
            // table and code are copied verbatim
            let decoded = try parts.map { try MPYReader.read($0.bytes) }
            let firstCount = (decoded.first { $0.header.hasNativeCode } ?? decoded[0]).qstrs.count
            let later = shared.qstrs[firstCount...].map(\.text)
            XCTAssertEqual(Set(later).count, later.count, "\(names)")
            XCTAssertTrue(Set(later).isDisjoint(with: shared.qstrs[..<firstCount].map(\.text)), "\(names)")
            XCTAssertLessThan(shared.qstrs.count, concatenated.qstrs.count, "\(names): nothing was shared")
            XCTAssertEqual(Set(shared.qstrs.map(\.text)), Set(concatenated.qstrs.map(\.text)), "\(names)")
            // every reference names the text it named before
            for (before, after) in zip(concatenated.rawCode.children, shared.rawCode.children) {
                XCTAssertEqual(qstrTexts(after, shared.qstrs), qstrTexts(before, concatenated.qstrs), "\(names)")
            }
        }
    }

    func testAnIndexPastTheTableIsRefused() {
        let map = QstrIndexMap.shifted(by: 3, count: 2)
        XCTAssertEqual(try map(1, at: 0), 4)
        XCTAssertThrowsError(try map(2, at: 17)) { error in
            XCTAssertEqual(error as? BytecodeRewriteError, .qstrIndexOutOfRange(index: 2, offset: 17))
        }
    }
}
