import Foundation

/// Where `mpyforge toolchain install` keeps vendors' toolchains: one directory per toolchain
/// and version under `$XDG_CACHE_HOME/mpyforge/toolchains` (default `~/.cache/...`). A
/// directory counts as installed only when it holds a receipt, and the receipt is written
/// before the directory is renamed into place, so a half-unpacked tree is never seen.
/// Work in progress lives in dot-names beside them and is ignored here.
public struct ToolchainCache: Sendable {
    public static let receiptName = ".mpyforge-toolchain.json"

    public let root: String

    public init(root: String) {
        self.root = root
    }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let base: String
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else {
            base = "\(environment["HOME"] ?? NSHomeDirectory())/.cache"
        }
        self.init(root: "\(base)/mpyforge/toolchains")
    }

    /// The directory a toolchain of this name and version is (or would be) installed in.
    public func directory(name: String, version: String) -> String {
        "\(root)/\(name)-\(version)"
    }

    /// Every complete installation, sorted by directory name.
    public func installed() -> [InstalledToolchain] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return entries.filter { !$0.hasPrefix(".") }.sorted().compactMap { receipt(in: "\(root)/\($0)") }
    }

    /// The receipt of the installation in `directory`, if it is complete.
    public func receipt(in directory: String) -> InstalledToolchain? {
        guard let data = FileManager.default.contents(atPath: "\(directory)/\(Self.receiptName)"),
              var toolchain = try? JSONDecoder().decode(InstalledToolchain.self, from: data) else { return nil }
        toolchain.directory = directory
        return toolchain
    }
}
