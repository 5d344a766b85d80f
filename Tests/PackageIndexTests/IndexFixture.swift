import Foundation
@testable import PackageIndex

/// A scratch directory with dist trees made from real .mpy files of the MPYFormat fixtures
/// (native modules for x64, ABI 6.3), and helpers to look at a published index.
struct IndexFixture {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("MPYFormatTests/Fixtures/merge").path
    static let template = """
        BASE_URL = "{{base_url}}"
        TARGETS = "{{targets}}".split()
        """

    let directory: String
    var index: String { "\(directory)/site" }

    init() {
        directory = NSTemporaryDirectory() + "mpyforge-index-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }

    static func fixtureBytes(_ name: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: "\(fixtures)/\(name)") ?? Data())
    }

    /// Writes `<dist>/<target>/<module>.mpy` files and returns the dist path.
    func dist(_ name: String, _ files: [String: [UInt8]], target: String = "x64_6.3") -> String {
        let dist = "\(directory)/\(name)"
        for (module, bytes) in files {
            let path = "\(dist)/\(target)/\(module).mpy"
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        }
        return dist
    }

    func request(_ dist: String, version: String, baseURL: String? = nil) -> PublishRequest {
        PublishRequest(dist: dist, index: index, version: version, baseURL: baseURL, installerTemplate: Self.template)
    }

    func text(_ relative: String) -> String? {
        FileManager.default.contents(atPath: "\(index)/\(relative)").map { String(decoding: $0, as: UTF8.self) }
    }

    func mipPackage(_ relative: String) -> MipPackage? {
        FileManager.default.contents(atPath: "\(index)/\(relative)").flatMap { try? JSONDecoder().decode(MipPackage.self, from: $0) }
    }

    /// Every file under the index with its bytes, to compare trees.
    func snapshot() -> [String: Data] {
        var files: [String: Data] = [:]
        for relative in FileTree.allFiles(under: index) {
            files[relative] = FileManager.default.contents(atPath: "\(index)/\(relative)")
        }
        return files
    }
}
