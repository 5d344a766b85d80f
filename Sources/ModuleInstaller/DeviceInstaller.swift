import Foundation
import Subprocess

/// Installs onto a board with mpremote's own mip, from the chosen build's index: mip on the
/// PC fetches the files and mpremote copies them to the board's lib directory. `resume`
/// keeps mpremote from soft-resetting the board first (the unix port exits on that reset).
public struct DeviceInstaller {
    public var port: String
    public var mpremote: String

    public init(port: String, mpremote: String) {
        self.port = port
        self.mpremote = mpremote
    }

    public func arguments(index: String, packages: [PackageRequest]) -> [String] {
        ["connect", port, "resume", "mip", "install", "--index", index] + packages.map(\.description)
    }

    /// Runs mpremote with its output going where the caller says; throws when it fails.
    public func install(index: String, packages: [PackageRequest], output: FileHandle) throws(InstallError) {
        let status: Int32
        do {
            status = try ProcessRunner.run(mpremote, arguments(index: index, packages: packages), passingOutputTo: output)
        } catch {
            throw .unreachable(url: mpremote, detail: "cannot run mpremote: \(error)")
        }
        guard status == 0 else { throw .mpremoteFailed(status: status) }
    }
}
