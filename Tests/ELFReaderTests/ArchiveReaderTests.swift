import ELFReader
import XCTest

final class ArchiveReaderTests: XCTestCase {
    func testIndexesDefinitionsAndLoadsMembersOnDemand() throws {
        let first = try CompiledObjects.compile("int alpha(void) { return 1; } int shared_name;")
        let second = try CompiledObjects.compile("extern int alpha(void); int beta(void) { return alpha() + 1; }")
        let bytes = try CompiledObjects.archive([("a.o", first), ("b.o", second)])
        XCTAssertTrue(ArchiveReader.isArchive(bytes))

        let archive = try ArchiveReader.read(bytes: bytes, path: "libt.a")
        XCTAssertEqual(archive.members.map(\.name), ["a.o", "b.o"])
        XCTAssertEqual(archive.definitions["alpha"], 0)
        XCTAssertEqual(archive.definitions["beta"], 1)
        XCTAssertNil(archive.definitions["missing"])

        let member = try archive.object(at: 1)
        XCTAssertEqual(member.name, "libt.a(b.o)")
        XCTAssertTrue(member.symbols.contains { $0.name == "alpha" && $0.isUndefined })
    }

    func testObjectIsNotAnArchive() throws {
        let object = try CompiledObjects.compile("int x;")
        XCTAssertFalse(ArchiveReader.isArchive(object))
        XCTAssertThrowsError(try ArchiveReader.read(bytes: object, path: "x.o"))
    }
}
