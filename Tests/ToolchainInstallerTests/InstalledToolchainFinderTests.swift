import Foundation
import MPYFormat
import Toolchain
import XCTest

/// ToolchainFinder and the cache `mpyforge toolchain install` fills: complete installs are
/// found ahead of PATH, incomplete ones (no receipt) are not, and Espressif's multi-chip
/// driver is told the chip.
final class InstalledToolchainFinderTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "finder-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A shell script that answers --version and -dumpmachine like a cross gcc.
    private func fakeCompiler(at path: String, machine: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let script = """
            #!/bin/sh
            case "$1" in --version) echo "fake gcc 1.0"; exit 0;; -dumpmachine) echo "\(machine)"; exit 0;; esac
            exit 1

            """
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
    }

    private var environment: [String: String] { ["XDG_CACHE_HOME": root, "HOME": root, "PATH": "/nonexistent"] }

    func testInstalledToolchainIsFoundAndIncompleteOneIsNot() throws {
        let cache = ToolchainCache(environment: environment)
        XCTAssertEqual(cache.root, "\(root)/mpyforge/toolchains")
        let directory = cache.directory(name: "xtensa-esp-elf", version: "test")
        try fakeCompiler(at: "\(directory)/bin/xtensa-esp32-elf-gcc", machine: "xtensa-esp-elf")
        // Unpacked but no receipt: what an interrupted install would look like if it were visible.
        XCTAssertTrue(cache.installed().isEmpty)
        guard case .failure = ToolchainFinder(environment: environment).find(.xtensawin) else { return XCTFail("found an incomplete install") }

        let receipt = InstalledToolchain(name: "xtensa-esp-elf", version: "test", compilers: ["xtensawin": "bin/xtensa-esp32-elf-gcc"],
                                         url: "http://example.invalid/x.tar.xz", sha256: String(repeating: "0", count: 64))
        try JSONEncoder().encode(receipt).write(to: URL(fileURLWithPath: "\(directory)/\(ToolchainCache.receiptName)"))
        XCTAssertEqual(cache.installed().map(\.name), ["xtensa-esp-elf"])
        let compiler = try ToolchainFinder(environment: environment).find(.xtensawin).get()
        XCTAssertEqual(compiler.path, "\(directory)/bin/xtensa-esp32-elf-gcc")
        XCTAssertEqual(compiler.extraFlags, [], "the per-chip driver needs no flag")
    }

    func testMultiChipDriverIsToldTheChip() throws {
        let driver = "\(root)/bin/xtensa-esp-elf-gcc"
        try fakeCompiler(at: driver, machine: "xtensa-esp-elf")
        let compiler = try ToolchainFinder(overrides: [.xtensawin: driver], environment: environment).find(.xtensawin).get()
        XCTAssertEqual(compiler.extraFlags, ["-mdynconfig=xtensa_esp32.so"])
        XCTAssertTrue(compiler.compileFlags.contains("-mdynconfig=xtensa_esp32.so"))
    }
}
