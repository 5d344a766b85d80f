import ELFReader
import Foundation
import MPYFormat
import Toolchain
import XCTest

@testable import Linker

/// Differential tests against upstream MicroPython's tools/mpy_ld.py: every fixture under
/// Fixtures/golden/<arch>/<module>/ holds the objects of one of our modules, its config header,
/// the runtime-library members the link needs (lib/*.a, searched in name order) and the .mpy
/// that mpy_ld.py made from exactly those inputs. Linking them here must give the same bytes.
/// Fixtures/golden/README.md says how each file was made.
final class GoldenLinkTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden")

    func testX64MatchesUpstream() throws { try checkArch(.x64) }
    func testArmv7emspMatchesUpstream() throws { try checkArch(.armv7emsp) }
    func testArmv6mMatchesUpstream() throws { try checkArch(.armv6m) }
    func testArmv7mMatchesUpstream() throws { try checkArch(.armv7m) }
    /// Objects from a real ESP32 compiler (windowed ABI), compiled without -ffunction-sections,
    /// which upstream cannot link on xtensawin. Fixtures/golden/README.md: "xtensawin".
    func testXtensawinMatchesUpstream() throws { try checkArch(.xtensawin) }

    /// The RISC-V backend is being written; until it links these objects the test is skipped.
    func testRv32imcMatchesUpstream() throws {
        let fixtures = try Self.fixtures(for: .rv32imc)
        for fixture in fixtures {
            do {
                _ = try fixture.link()
            } catch let error as LinkError {
                throw XCTSkip("rv32imc golden links are skipped until the RISC-V backend (Backends/RISCVBackend.swift) lands: \(fixture.label): \(error)")
            }
        }
        try checkArch(.rv32imc)
    }

    /// Every arch the fixture tree has a directory for is covered by a test above.
    func testEveryFixtureArchIsTested() throws {
        let tested: Set<NativeArch> = [.x64, .armv7emsp, .armv6m, .armv7m, .rv32imc, .xtensawin]
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.root.path) {
            guard let arch = NativeArch(rawValue: name) else { continue }
            XCTAssertTrue(tested.contains(arch), "Fixtures/golden/\(name) has no test")
        }
    }

    private func checkArch(_ arch: NativeArch, file: StaticString = #filePath, line: UInt = #line) throws {
        let fixtures = try Self.fixtures(for: arch)
        XCTAssertFalse(fixtures.isEmpty, "no golden fixtures for \(arch.rawValue)", file: file, line: line)
        for fixture in fixtures {
            let result: LinkResult
            do { result = try fixture.link() } catch {
                XCTFail("\(fixture.label): link failed: \(error)", file: file, line: line)
                continue
            }
            let ours = NativeModuleWriter.encode(result.image)
            let golden = try Data(contentsOf: fixture.directory.appendingPathComponent("\(fixture.module).mpy"))
            if let message = Self.difference(ours, [UInt8](golden), image: result.image) {
                XCTFail("\(fixture.label): \(message)", file: file, line: line)
            }
            XCTAssertEqual(result.pulledMembers.count, fixture.archiveMemberCount,
                           "\(fixture.label): every pinned library member is needed, and only those", file: file, line: line)
        }
    }

    // MARK: - Fixtures

    struct Fixture {
        let arch: NativeArch
        let module: String
        let directory: URL
        let objects: [ELFObject]
        let archives: [ELFArchive]
        let qstrs: [String]
        /// From the fixture's externs.ld, the same file upstream was given with --externs.
        let fixedAddresses: [String: UInt64]

        var label: String { "\(arch.rawValue)/\(module)" }
        var archiveMemberCount: Int { archives.reduce(0) { $0 + $1.memberCount } }

        func link() throws -> LinkResult {
            try Linker.link(LinkRequest(arch: arch, objects: objects, archives: archives, qstrs: qstrs,
                                        sourceName: "\(module).mpy", fixedAddresses: fixedAddresses))
        }
    }

    static func fixtures(for arch: NativeArch) throws -> [Fixture] {
        let archDirectory = root.appendingPathComponent(arch.rawValue)
        let manager = FileManager.default
        guard manager.fileExists(atPath: archDirectory.path) else { return [] }
        return try manager.contentsOfDirectory(atPath: archDirectory.path).sorted().map { module in
            let directory = archDirectory.appendingPathComponent(module)
            let files = try manager.contentsOfDirectory(atPath: directory.path).sorted()
            let objects = try files.filter { $0.hasSuffix(".o") }.map { name in
                try ObjectReader.read(bytes: [UInt8](Data(contentsOf: directory.appendingPathComponent(name))), name: name)
            }
            let libDirectory = directory.appendingPathComponent("lib")
            let libraries = manager.fileExists(atPath: libDirectory.path)
                ? try manager.contentsOfDirectory(atPath: libDirectory.path).filter { $0.hasSuffix(".a") }.sorted() : []
            let archives = try libraries.map { name in
                try ArchiveReader.read(bytes: [UInt8](Data(contentsOf: libDirectory.appendingPathComponent(name))), path: "lib/\(name)")
            }
            let header = try String(contentsOf: directory.appendingPathComponent("\(module).config.h"), encoding: .utf8)
            let externs = directory.appendingPathComponent("externs.ld")
            let fixed = manager.fileExists(atPath: externs.path)
                ? try FixedAddressScript.parse(String(contentsOf: externs, encoding: .utf8), file: externs.path) : [:]
            return Fixture(arch: arch, module: module, directory: directory, objects: objects, archives: archives,
                           qstrs: moduleQstrs(header), fixedAddresses: fixed)
        }
    }

    /// The module's qstrs as mpy_ld.py reads them from a config header: the names of
    /// `#define MP_QSTR_<name> (mp_native_...` lines, in file order.
    static func moduleQstrs(_ header: String) -> [String] {
        header.split(separator: "\n").compactMap { line -> String? in
            let prefix = "#define MP_QSTR_"
            guard line.hasPrefix(prefix) else { return nil }
            let name = line.dropFirst(prefix.count).prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard line.dropFirst(prefix.count + name.count).hasPrefix(" (mp_native_") else { return nil }
            return String(name)
        }
    }

    // MARK: - Reporting a mismatch

    /// nil when equal; otherwise where the files first differ, which part of the .mpy that is,
    /// and a hexdump of both around it.
    static func difference(_ ours: [UInt8], _ golden: [UInt8], image: NativeModuleImage) -> String? {
        guard ours != golden else { return nil }
        let first = (0..<min(ours.count, golden.count)).first { ours[$0] != golden[$0] } ?? min(ours.count, golden.count)
        let relocationStart = ours.count - RelocationStream.encode(image.relocations, wordSize: image.arch.wordSize).count
        let textEnd = relocationStart - image.rodata.count
        let part = first >= relocationStart ? "relocation stream (byte \(first - relocationStart) of it)"
            : first >= textEnd ? "rodata" : "header, qstrs or text (text is \(image.text.count) bytes)"
        let window = max(0, first - 32)..<(first + 48)
        return """
            differs from the upstream golden at byte \(first) (0x\(String(first, radix: 16))), in the \(part); \
            sizes: ours \(ours.count), golden \(golden.count)
            ours:
            \(hexdump(ours, window))
            golden:
            \(hexdump(golden, window))
            """
    }

    static func hexdump(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        let start = range.lowerBound / 16 * 16
        let end = min(bytes.count, range.upperBound)
        guard start < end else { return "  (ends at \(bytes.count))" }
        return stride(from: start, to: end, by: 16).map { row in
            let line = bytes[row..<min(row + 16, end)].map { String(format: "%02x", $0) }.joined(separator: " ")
            return String(format: "  %06x  ", row) + line
        }.joined(separator: "\n")
    }
}
