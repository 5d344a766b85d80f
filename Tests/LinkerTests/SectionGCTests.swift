import ELFReader
import Foundation
import Linker
import MPYFormat
import XCTest

/// `discardUnreachableSections`: what mpy_init cannot reach is left out, and symbols only
/// the left-out code needed no longer have to exist.
final class SectionGCTests: XCTestCase {
    let source = """
        extern void *mp_fun_table;
        extern int never_defined(int);
        static int used(int x) { return x * 3; }
        int unused(int x) { return never_defined(x) + 12345; }
        void *mpy_init(void *a, int b) { return (void *)(long)used(b) + (long)&mp_fun_table; }
        """

    func compile(_ flags: [String]) throws -> ELFObject {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try source.write(to: dir.appendingPathComponent("m.c"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-Os", "-fpic", "-fno-stack-protector", "-c", "m.c", "-o", "m.o"] + flags
        process.currentDirectoryURL = dir
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("cc is not available") }
        return try ObjectReader.read(bytes: [UInt8](Data(contentsOf: dir.appendingPathComponent("m.o"))), name: "m.o")
    }

    func testUnreachableFunctionAndItsUndefinedCalleeAreDropped() throws {
        let object = try compile(["-ffunction-sections", "-fdata-sections"])
        let keepAll = LinkRequest(arch: .x64, objects: [object], qstrs: [], sourceName: "m.mpy")
        XCTAssertThrowsError(try Linker.link(keepAll), "without GC the unused function's callee must resolve") { error in
            XCTAssertTrue("\(error)".contains("never_defined"))
        }
        var collect = keepAll
        collect.discardUnreachableSections = true
        let linked = try Linker.link(collect)
        // 12345 (0x3039) only occurs in the unused function.
        let text = linked.image.text
        XCTAssertFalse(zip(text, text.dropFirst()).contains { $0 == 0x39 && $1 == 0x30 })
    }

    func testWithoutFunctionSectionsNothingIsDroppedFromTheTextSection() throws {
        let object = try compile([])
        var request = LinkRequest(arch: .x64, objects: [object], qstrs: [], sourceName: "m.mpy")
        request.discardUnreachableSections = true
        // One .text section holds both functions, so the callee of the unused one is still needed.
        XCTAssertThrowsError(try Linker.link(request))
    }
}
