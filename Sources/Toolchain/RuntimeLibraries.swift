import Foundation
import MPYFormat
import Subprocess

/// The compiler's own static libraries that provide what natmod code may call but
/// MicroPython does not export: libgcc (soft-float, 64-bit division) and the C maths library.
public enum RuntimeLibraries {
    /// Paths of libgcc.a and the maths library for `compiler` with `flags` (multilib matters:
    /// the flags pick the right Thumb/float variant). Missing ones are left out.
    public static func locate(compiler: Compiler, flags: [String]) -> [String] {
        var paths: [String] = []
        if let libgcc = ask(compiler, flags + ["--print-libgcc-file-name"]) { paths.append(libgcc) }
        if let preferred = ArchProfile.profile(for: compiler.arch).preferredMathLibraries
            .first(where: { FileManager.default.fileExists(atPath: $0) }) {
            return paths + [preferred]
        }
        // picolibc toolchains put the maths functions in libc.a.
        for name in ["libm.a", "libc.a"] {
            if let path = ask(compiler, flags + ["--print-file-name=\(name)"]) {
                return paths + [path]
            }
        }
        if let picolibc = ArchProfile.profile(for: compiler.arch).picolibcLibraries.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            paths.append(picolibc)
        }
        return paths
    }

    private static func ask(_ compiler: Compiler, _ arguments: [String]) -> String? {
        guard let output = try? ProcessRunner.run(compiler.path, arguments), output.status == 0 else { return nil }
        let path = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // gcc echoes the bare name back when it does not have the file.
        guard path.contains("/"), FileManager.default.fileExists(atPath: path) else { return nil }
        return (path as NSString).resolvingSymlinksInPath
    }
}
