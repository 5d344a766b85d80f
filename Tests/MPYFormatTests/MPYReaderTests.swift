import XCTest
@testable import MPYFormat

final class MPYReaderTests: XCTestCase {
    private func read(_ name: String) throws -> (MPYFile, [UInt8]) {
        let bytes = try Fixtures.bytes(name)
        return (try MPYReader.read(bytes), bytes)
    }

    private func allCodes(_ code: MPYRawCode) -> [MPYRawCode] {
        [code] + code.children.flatMap(allCodes)
    }

    private func name(_ code: MPYRawCode, in file: MPYFile) -> String? {
        code.prelude.map { file.qstrs[$0.simpleName].text }
    }

    func testEveryFixtureDecodesToTheEndWithContiguousParts() throws {
        for fixture in try Fixtures.allMPYNames() {
            let (file, bytes) = try read(fixture)
            XCTAssertEqual(file.header.range.upperBound, file.countsRange.lowerBound, fixture)
            XCTAssertEqual(file.countsRange.upperBound, file.qstrTableRange.lowerBound, fixture)
            XCTAssertEqual(file.qstrTableRange.upperBound, file.objectTableRange.lowerBound, fixture)
            XCTAssertEqual(file.objectTableRange.upperBound, file.rawCode.range.lowerBound, fixture)
            XCTAssertEqual(file.rawCode.range.upperBound, bytes.count, "\(fixture) has no trailing bytes")
            XCTAssertTrue(file.trailingRange.isEmpty, fixture)
            var next = file.qstrTableRange.lowerBound
            for qstr in file.qstrs {
                XCTAssertEqual(qstr.range.lowerBound, next, fixture)
                next = qstr.range.upperBound
            }
            XCTAssertEqual(next, file.qstrTableRange.upperBound, fixture)
            for code in allCodes(file.rawCode) {
                XCTAssertEqual(Array(bytes[code.funDataRange]), code.funData, fixture)
                guard code.kind == .bytecode, let prelude = code.prelude else { continue }
                // Opcodes tile the rest of the function and every jump lands on one of them.
                var offset = prelude.opcodesStart
                for instruction in code.instructions {
                    XCTAssertEqual(instruction.offset, offset, fixture)
                    offset = instruction.range.upperBound
                }
                XCTAssertEqual(offset, code.funDataRange.upperBound, fixture)
                let starts = Set(code.instructions.map(\.offset))
                for instruction in code.instructions {
                    if let target = instruction.jumpTarget { XCTAssertTrue(starts.contains(target), "\(fixture) jump at \(instruction.offset)") }
                }
            }
        }
    }

    func testBytecodeModuleHeaderTablesAndConstants() throws {
        let (file, _) = try read("features.mpy")
        XCTAssertEqual(file.header.version, 6)
        XCTAssertEqual(file.header.archCode, 0)
        XCTAssertNil(file.header.arch)
        XCTAssertNil(file.header.archFlags)
        XCTAssertEqual(file.header.smallIntBits, 31)
        XCTAssertEqual(file.header.range, 0..<4)
        XCTAssertEqual(file.sourceName, "features.py")
        XCTAssertEqual(file.qstrs[1].text, "<module>")
        XCTAssertEqual(file.qstrs[1].staticNumber, StaticQstrs.numberByText["<module>"])
        XCTAssertNil(file.qstrs[0].staticNumber)

        let values = file.objects.map(\.value)
        XCTAssertTrue(values.contains(.int("123456789012345678901234567890")))
        XCTAssertTrue(values.contains(.int("-98765432109876543210")))
        XCTAssertTrue(values.contains(.bytes(Array("\u{0}\u{1}binary".utf8))))
        XCTAssertTrue(values.contains { if case .float = $0 { return true } else { return false } })
        XCTAssertTrue(values.contains { if case .complex = $0 { return true } else { return false } })
        XCTAssertTrue(values.contains { if case .str(let s) = $0 { return s.hasPrefix("a string long enough") } else { return false } })
        let tuples = values.compactMap { value -> [MPYObject]? in if case .tuple(let items) = value { return items } else { return nil } }
        XCTAssertTrue(tuples.contains { $0.contains { $0.value == .none } }, "NESTED holds None")
        XCTAssertTrue(tuples.contains { $0.contains { if case .tuple = $0.value { return true } else { return false } } })
    }

    func testBytecodePreludesAndTree() throws {
        let (file, _) = try read("features.mpy")
        let top = file.rawCode
        XCTAssertEqual(top.kind, .bytecode)
        XCTAssertEqual(name(top, in: file), "<module>")
        XCTAssertEqual(top.instructions.suffix(2).map(\.opcode), [BytecodeOp.loadConstNone, BytecodeOp.returnValue])
        let childNames = top.children.compactMap { name($0, in: file) }
        XCTAssertEqual(childNames, ["add", "make_counter", "squares", "Shape", "Square", "guarded", "flags"])

        let add = top.children[0].prelude!
        XCTAssertEqual(add.nPosArgs, 2)
        XCTAssertEqual(add.nKwonlyArgs, 1)
        XCTAssertEqual(add.nDefPosArgs, 1)
        XCTAssertEqual(add.scopeFlags & 0x06, 0x06, "*args and **kwargs")
        XCTAssertEqual(add.argNames.map { file.qstrs[$0].text }, ["a", "b", "scale"])
        XCTAssertEqual(add.nInfo, add.namesRange.count + add.lineInfoRange.count)

        let counter = top.children[1]
        XCTAssertEqual(counter.children.compactMap { name($0, in: file) }, ["step"])
        XCTAssertGreaterThan(counter.prelude!.nCell, 0, "count is a cell")
        XCTAssertEqual(top.children[2].prelude!.scopeFlags & 1, 1, "squares is a generator")
    }

    func testUnwindJumpTargetIsCountedBeforeItsExtraByte() throws {
        let (file, bytes) = try read("unwind.mpy")
        let function = file.rawCode.children[0]
        let unwind = try XCTUnwrap(function.instructions.first { $0.opcode == BytecodeOp.unwindJump })
        XCTAssertEqual(unwind.size, 3)
        XCTAssertEqual(unwind.extraByte, 0x81, "one handler to unwind, 0x80: also pop the iterator")
        XCTAssertEqual(unwind.jumpTarget, unwind.offset + 2 + unwind.argument!)
        // `break` leaves the loop for `return found`: LOAD_FAST 2, then RETURN_VALUE.
        XCTAssertEqual(bytes[unwind.jumpTarget!], 0xB2)
        XCTAssertEqual(bytes[unwind.jumpTarget! + 1], BytecodeOp.returnValue)
    }

    func testMpyCrossNativeAndViperCode() throws {
        let (file, _) = try read("natpy.mpy")
        XCTAssertEqual(file.header.arch, .x64)
        XCTAssertEqual(file.header.subVersion, 3)
        let kinds = file.rawCode.children.map(\.kind)
        XCTAssertEqual(kinds, [.nativePython, .nativeViper, .bytecode])
        let native = file.rawCode.children[0]
        XCTAssertEqual(name(native, in: file), "native_sum")
        XCTAssertEqual(native.prelude?.nPosArgs, 1)
        XCTAssertNotNil(native.native?.preludeOffset)
        XCTAssertTrue(native.instructions.isEmpty)
        XCTAssertNotNil(file.rawCode.children[1].native)
    }

    func testLinkedNativeModulesAndTheirRelocations() throws {
        for fixture in ["native_features0.mpy", "native_features1.mpy", "native_features3.mpy", "native_features2_c.mpy"] {
            let (file, bytes) = try read(fixture)
            XCTAssertEqual(file.header.arch, .x64, fixture)
            XCTAssertEqual(file.header.featureByte, 0x0B, fixture)
            XCTAssertTrue(file.objects.isEmpty, fixture)
            let code = file.rawCode
            XCTAssertEqual(code.kind, .nativeViper, fixture)
            XCTAssertTrue(code.children.isEmpty, fixture)
            let native = try XCTUnwrap(code.native, fixture)
            XCTAssertEqual(UInt(native.scopeFlags) & MPY.ScopeFlag.viperRelocations, MPY.ScopeFlag.viperRelocations, fixture)
            XCTAssertFalse(native.relocations.isEmpty, fixture)
            XCTAssertTrue(native.relocations[0].setsAddress, fixture)
            let streamRange = try XCTUnwrap(native.relocationRange)
            XCTAssertEqual(bytes[streamRange.upperBound - 1], MPY.relocationEnd, fixture)
            XCTAssertEqual(native.relocations.first?.range.lowerBound, streamRange.lowerBound, fixture)
            let wordSize = 8
            for relocation in native.relocations where relocation.base == .text {
                XCTAssertLessThanOrEqual((relocation.wordOffset + relocation.count) * wordSize, code.funData.count, fixture)
            }
            if let rodata = native.rodataRange { XCTAssertEqual(rodata.count, native.rodataSize, fixture) }
        }
        let (features1, _) = try read("native_features1.mpy")
        XCTAssertEqual(features1.rawCode.native?.bssSize, 8, "mpy_ld reported bss size=8")
        let (features0, _) = try read("native_features0.mpy")
        XCTAssertTrue(features0.rawCode.native!.relocations.contains { $0.target == .funTable || $0.target == .qstrTable })
    }

    func testTypedErrorsCarryOffsets() {
        func problem(_ bytes: [UInt8]) -> MPYDecodeError? {
            do { _ = try MPYReader.read(bytes); return nil } catch { return error }
        }
        XCTAssertEqual(problem([]), MPYDecodeError(offset: 0, problem: .truncated(expected: "header magic")))
        XCTAssertEqual(problem([0x4C, 6, 0, 31]), MPYDecodeError(offset: 0, problem: .badMagic(found: 0x4C)))
        XCTAssertEqual(problem([0x4D, 5, 0, 31]), MPYDecodeError(offset: 1, problem: .unsupportedVersion(found: 5)))
        // Counts far beyond the input must be refused, not allocated.
        XCTAssertEqual(problem([0x4D, 6, 0, 31, 0xFF, 0xFF, 0x7F, 0]),
                       MPYDecodeError(offset: 4, problem: .countTooLarge(expected: "qstr count", count: 0x1F_FFFF, available: 1)))
        XCTAssertEqual(problem([0x4D, 6, 0, 31] + [UInt8](repeating: 0xFF, count: 12) + [0]),
                       MPYDecodeError(offset: 4, problem: .varIntOverflow(expected: "qstr count")))
        // One qstr "ab" without its zero byte.
        XCTAssertEqual(problem([0x4D, 6, 0, 31, 1, 0, 4, 0x61, 0x62, 0x41]),
                       MPYDecodeError(offset: 9, problem: .missingNullTerminator(expected: "qstr text", found: 0x41)))
        XCTAssertEqual(problem([0x4D, 6, 0, 31, 1, 0] + VarInt.encode(2 * 999 + 1) + [0]),
                       MPYDecodeError(offset: 6, problem: .unknownStaticQstr(number: 999)))
        // One static qstr, one object of type 11.
        XCTAssertEqual(problem([0x4D, 6, 0, 31, 1, 1, 0x03, 11]), MPYDecodeError(offset: 7, problem: .unknownObjectType(found: 11)))
        // Tuples nested past the limit.
        let deep: [UInt8] = [0x4D, 6, 0, 31, 0, 1] + [[UInt8]](repeating: [10, 1], count: 300).flatMap { $0 }
        XCTAssertEqual(problem(deep)?.problem, .nestingTooDeep(limit: MPYReader.nestingLimit))
        // A prelude size whose extension bytes shift bits into the sign bit of n_info.
        let hugeInfo: [UInt8] = [0x00] + [UInt8](repeating: 0xFE, count: 11) + [0x7E, 0x00]
        let badPrelude: [UInt8] = [0x4D, 6, 0, 31, 1, 0, 0x03] + VarInt.encode(hugeInfo.count << 3) + hugeInfo
        XCTAssertEqual(problem(badPrelude)?.offset, 9)
        // A viper function whose relocation stream starts without an address.
        XCTAssertEqual(problem([0x4D, 6, 0x0B, 31, 1, 0, 0x03, 0x0A, 0x90, 0x10, 0x10, 0xFF]),
                       MPYDecodeError(offset: 10, problem: .relocationWithoutAddress))
    }
}
