import XCTest
import Foundation
@testable import Inspector

final class DumpForEyeballing: XCTestCase {
    func testDump() throws {
        guard let dir = ProcessInfo.processInfo.environment["INSP_DUMP"] else { return }
        for name in try InspectorFixtures.mpyNames() {
            let report = try Inspector.inspect(try InspectorFixtures.bytes(name), disassemble: true)
            try InspectionText.render(report, fileName: name).write(toFile: dir + "/" + name + ".txt", atomically: true, encoding: .utf8)
        }
    }
}
