import Foundation
import MPYFormat

/// The table of vendor toolchains mpyforge can install. The built-in one is
/// toolchains.json, compiled into the binary; MPYFORGE_TOOLCHAIN_TABLE names a file in the
/// same format to use instead (a private mirror with other versions, or the tests).
public struct ToolchainCatalog: Codable, Sendable {
    public static let overrideVariable = "MPYFORGE_TOOLCHAIN_TABLE"

    public var toolchains: [ToolchainRelease]

    public init(toolchains: [ToolchainRelease]) {
        self.toolchains = toolchains
    }

    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ToolchainCatalog {
        guard let file = environment[overrideVariable] else { return try decode(Data(PackageResources.toolchains_json), from: "the built-in table") }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw InstallerError.tableUnreadable(path: file, detail: "cannot read it (\(overrideVariable) names it)")
        }
        return try decode(data, from: file)
    }

    static func decode(_ data: Data, from origin: String) throws -> ToolchainCatalog {
        do {
            let catalog = try JSONDecoder().decode(ToolchainCatalog.self, from: data)
            for release in catalog.toolchains {
                if let bad = release.arches.first(where: { NativeArch(rawValue: $0) == nil }) {
                    throw InstallerError.tableUnreadable(path: origin, detail: "\(release.name): unknown arch \"\(bad)\"")
                }
                for (host, download) in release.downloads where !Self.isSHA256(download.sha256) {
                    throw InstallerError.tableUnreadable(path: origin, detail: "\(release.name) for \(host): sha256 must be 64 hex digits")
                }
            }
            return catalog
        } catch let error as InstallerError {
            throw error
        } catch {
            throw InstallerError.tableUnreadable(path: origin, detail: "not a toolchain table: \(error)")
        }
    }

    /// The release that provides a compiler for `arch`.
    public func release(for arch: NativeArch) -> ToolchainRelease? {
        toolchains.first { $0.arches.contains(arch.rawValue) }
    }

    /// The release called `name` (e.g. "xtensa-esp-elf").
    public func release(named name: String) -> ToolchainRelease? {
        toolchains.first { $0.name == name }
    }

    private static func isSHA256(_ text: String) -> Bool {
        text.count == 64 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
