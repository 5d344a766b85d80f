@testable import MPYFormat
import XCTest
@testable import Inspector

final class FactTableTests: XCTestCase {
    func testFunTableNamesAgreeWithTheLinkersFacts() {
        for abi in ABIVersion.supported {
            let names = FunTableEntryNames.names(for: abi)
            let facts = FunTableFacts.forABI(abi)
            XCTAssertEqual(names[facts.memsetIndex], "memset_")
            XCTAssertEqual(names[facts.memmoveIndex], "memmove_")
            for object in ["mp_type_type", "mp_type_str", "mp_stream_write_obj"] {
                let index = facts.index(ofNamedObject: object)!
                XCTAssertEqual("mp_" + names[index], object, "\(abi)")
            }
        }
        XCTAssertEqual(FunTableEntryNames.names(for: .v6_3).count, 87)
        XCTAssertNil(FunTableEntryNames.name(ofEntry: 87, abi: .v6_3))
    }

    func testDeviceReplyParsing() throws {
        let info = try DeviceInfo(reply: "noise\r\nmpyforge-device 2822 1.27.0 linux [GCC 12.2.0] version\r\n")
        XCTAssertEqual(info.sysImplementationMPY, 2822)
        XCTAssertEqual(info.micropythonVersion, "1.27.0")
        XCTAssertEqual(info.machine, "linux [GCC 12.2.0] version")
        XCTAssertThrowsError(try DeviceInfo(reply: "mpyforge-device None 1.27.0 None")) {
            XCTAssertEqual($0 as? DeviceQueryError, .noMPYSupport)
        }
        XCTAssertThrowsError(try DeviceInfo(reply: "Traceback"))
    }

    func testObjectsAreWrittenAsPython() {
        XCTAssertEqual(ObjectDescription.text(.str("it's\n")), "'it\\'s\\n'")
        XCTAssertEqual(ObjectDescription.text(.bytes([0x41, 0])), "b'A\\x00'")
        XCTAssertEqual(ObjectDescription.text(.tuple([MPYObject(value: .int("1"), range: 0..<1)])), "(1,)")
    }
}
