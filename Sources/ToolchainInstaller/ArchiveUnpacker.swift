import Foundation
import Subprocess
import Toolchain

/// Unpacks a vendor archive with the system's own tools: tar for .tar.xz/.tar.gz/.tar.bz2
/// (GNU tar and bsdtar both detect the compression), unzip for .zip. Keeping a decompressor
/// out of mpyforge costs nothing: every host that runs these toolchains has tar.
enum ArchiveUnpacker {
    static func unpack(_ archive: String, fileName: String, into directory: String) throws {
        let command: (String, [String])
        if fileName.hasSuffix(".zip") {
            command = ("unzip", ["-q", archive, "-d", directory])
        } else {
            command = ("tar", ["-xf", archive, "-C", directory])
        }
        guard let tool = PathSearch.find(command.0) else {
            throw InstallerError.unpackFailed(archive: fileName, detail: "\(command.0) is not on PATH; install it")
        }
        let output: ProcessRunner.Output
        do {
            output = try ProcessRunner.run(tool, command.1)
        } catch {
            throw InstallerError.unpackFailed(archive: fileName, detail: "cannot run \(tool): \(error)")
        }
        guard output.status == 0 else {
            let lines = output.stderr.split(separator: "\n").suffix(3).joined(separator: "; ")
            let hint = fileName.hasSuffix(".xz") ? " (.xz archives need xz: apt-get install xz-utils)" : ""
            throw InstallerError.unpackFailed(archive: fileName, detail: "\(command.0) exited with \(output.status): \(lines)\(hint)")
        }
    }

    /// Vendors pack their toolchain under one top directory (xtensa-esp-elf/, arm-gnu-toolchain-.../);
    /// that directory is the toolchain. An archive without one is its own top.
    static func topDirectory(of directory: String) -> String {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var isDirectory: ObjCBool = false
        if entries.count == 1, FileManager.default.fileExists(atPath: "\(directory)/\(entries[0])", isDirectory: &isDirectory),
           isDirectory.boolValue {
            return "\(directory)/\(entries[0])"
        }
        return directory
    }
}
