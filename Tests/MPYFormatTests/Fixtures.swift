import Foundation

/// Test inputs live next to this file (the test target declares no resources).
enum Fixtures {
    static let mergeDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/merge")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: mergeDirectory.appendingPathComponent(name)))
    }

    static func allMPYNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: mergeDirectory.path)
            .filter { $0.hasSuffix(".mpy") }.sorted()
    }
}
