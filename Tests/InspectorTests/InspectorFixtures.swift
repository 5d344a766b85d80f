import Foundation

/// Test inputs live in Fixtures/ next to this file (the test target declares no resources);
/// Fixtures/README.md says how each was made.
enum InspectorFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func mpyNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mpy") }.sorted()
    }
}
