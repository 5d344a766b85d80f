import ELFReader
import Foundation
import XCTest

final class ArchiveReaderTests: XCTestCase {
    func testIndexesDefinitionsAndLoadsMembersOnDemand() throws {
        let first = try CompiledObjects.compile("int alpha(void) { return 1; } int shared_name;")
        let second = try CompiledObjects.compile("extern int alpha(void); int beta(void) { return alpha() + 1; }")
        let bytes = try CompiledObjects.archive([("a.o", first), ("b.o", second)])
        XCTAssertTrue(ArchiveReader.isArchive(bytes))

        let archive = try ArchiveReader.read(bytes: bytes, path: "libt.a")
        XCTAssertEqual(try archive.loadMembers().map(\.name), ["a.o", "b.o"])
        XCTAssertEqual(archive.definitions["alpha"], 0)
        XCTAssertEqual(archive.definitions["beta"], 1)
        XCTAssertNil(archive.definitions["missing"])

        let member = try archive.object(at: 1)
        XCTAssertEqual(member.name, "libt.a(b.o)")
        XCTAssertTrue(member.symbols.contains { $0.name == "alpha" && $0.isUndefined })
    }

    func testArchiveFileIsReadThroughAMappingLikeBytes() throws {
        let first = try CompiledObjects.compile("int alpha(void) { return 1; }")
        let second = try CompiledObjects.compile("int beta(void) { return 2; }")
        let bytes = try CompiledObjects.archive([("a.o", first), ("b.o", second)])
        let path = NSTemporaryDirectory() + "mpyforge-mapped-\(UUID().uuidString).a"
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))

        XCTAssertTrue(try ArchiveReader.isArchive(path: path))
        let mapped = try ArchiveReader.read(path: path)
        let inMemory = try ArchiveReader.read(bytes: bytes, path: path)
        XCTAssertEqual(mapped.definitions, inMemory.definitions)
        XCTAssertEqual(try mapped.loadMembers().map(\.bytes), try inMemory.loadMembers().map(\.bytes))
        XCTAssertEqual(try mapped.object(at: 1).name, "\(path)(b.o)")
    }

    func testMissingArchiveFileIsACleanError() {
        XCTAssertThrowsError(try ArchiveReader.read(path: "/nonexistent/libgcc.a")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/libgcc.a: cannot read: No such file or directory")
        }
    }

    func testObjectIsNotAnArchive() throws {
        let object = try CompiledObjects.compile("int x;")
        XCTAssertFalse(ArchiveReader.isArchive(object))
        XCTAssertThrowsError(try ArchiveReader.read(bytes: object, path: "x.o"))
    }
}
