import MPYFormat
import Toolchain
@testable import ToolchainInstaller
import XCTest

final class ToolchainCatalogTests: XCTestCase {
    /// The built-in table decodes, every digest is a real-looking SHA-256, and every entry
    /// names a compiler per arch it claims and an archive for at least Linux x86-64.
    func testBuiltInTableIsComplete() throws {
        let catalog = try ToolchainCatalog.load(environment: [:])
        XCTAssertFalse(catalog.toolchains.isEmpty)
        for release in catalog.toolchains {
            XCTAssertNotNil(release.downloads["linux-amd64"], release.name)
            for arch in release.arches { XCTAssertNotNil(release.compilers[arch], "\(release.name) \(arch)") }
            for (host, download) in release.downloads {
                XCTAssertTrue(HostPlatform.all.contains(host), "\(release.name): unknown host \(host)")
                XCTAssertTrue(download.url.hasPrefix("https://"), download.url)
                XCTAssertTrue(download.url.hasSuffix(".tar.xz") || download.url.hasSuffix(".tar.gz") || download.url.hasSuffix(".zip"))
            }
        }
        XCTAssertEqual(catalog.release(for: .xtensawin)?.name, "xtensa-esp-elf")
        XCTAssertEqual(catalog.release(for: .rv32imc)?.name, "riscv32-esp-elf")
        XCTAssertEqual(catalog.release(for: .armv7emsp)?.name, "arm-gnu-toolchain")
        XCTAssertNil(catalog.release(for: .x64))
    }

    /// ESP-IDF 5.2+ ships one xtensa-esp-elf for all Xtensa chips; mpyforge must call the
    /// ESP32 driver in it, not the generic (big-endian core) one.
    func testXtensawinUsesTheESP32Driver() throws {
        let catalog = try ToolchainCatalog.load(environment: [:])
        XCTAssertEqual(catalog.release(for: .xtensawin)?.compilers["xtensawin"], "bin/xtensa-esp32-elf-gcc")
        XCTAssertEqual(ArchProfile.profile(for: .xtensawin).driverFlags["xtensa-esp-elf-gcc"], ["-mdynconfig=xtensa_esp32.so"])
    }

    func testBadTableIsRefusedWithItsName() throws {
        let file = NSTemporaryDirectory() + "/bad-table-\(getpid()).json"
        try Data(#"{"toolchains":[{"name":"x","version":"1","vendor":"v","source":"s","arches":["z80"],"compilers":{},"downloads":{},"alternative":"a"}]}"#.utf8)
            .write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        XCTAssertThrowsError(try ToolchainCatalog.load(environment: [ToolchainCatalog.overrideVariable: file])) { error in
            XCTAssertTrue("\(error)".contains(file), "\(error)")
            XCTAssertTrue("\(error)".contains("z80"), "\(error)")
        }
    }

    func testMirrorReplacesTheBaseURL() throws {
        let catalog = try ToolchainCatalog.load(environment: [:])
        let installer = ToolchainInstaller(cache: ToolchainCache(root: "/nonexistent"), catalog: catalog, host: "linux-amd64",
                                           mirror: "http://127.0.0.1:8000/tools/", environment: [:])
        let release = try installer.release(for: "xtensawin")
        let download = try installer.download(for: release)
        XCTAssertEqual(installer.url(of: download), "http://127.0.0.1:8000/tools/\(download.fileName)")
        XCTAssertTrue(download.fileName.hasPrefix("xtensa-esp-elf-"))
    }

    func testHostWithoutAnArchiveSaysSoAndTheAlternative() throws {
        let catalog = try ToolchainCatalog.load(environment: [:])
        let installer = ToolchainInstaller(cache: ToolchainCache(root: "/nonexistent"), catalog: catalog, host: "macos-x86_64", environment: [:])
        let release = try installer.release(for: "armv6m")
        XCTAssertThrowsError(try installer.download(for: release)) { error in
            XCTAssertTrue("\(error)".contains("macos-x86_64"), "\(error)")
            XCTAssertTrue("\(error)".contains("--cc"), "\(error)")
        }
        XCTAssertThrowsError(try installer.release(for: "x64")) { error in
            XCTAssertTrue("\(error)".contains("x64"), "\(error)")
        }
    }
}
