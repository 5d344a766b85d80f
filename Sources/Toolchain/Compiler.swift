import Foundation
import MPYFormat

/// A C compiler found for an architecture.
public struct Compiler: Sendable, Hashable {
    public let arch: NativeArch
    public let path: String
    /// The compiler's own version line; part of the build cache key.
    public let identity: String
    /// Flags this particular installation needs (e.g. picolibc's specs file for bare-metal RISC-V).
    public var extraFlags: [String] = []

    public init(arch: NativeArch, path: String, identity: String, extraFlags: [String] = []) {
        self.arch = arch
        self.path = path
        self.identity = identity
        self.extraFlags = extraFlags
    }

    /// Every flag of a natmod compile for this compiler, before module-specific ones.
    public var compileFlags: [String] { ArchProfile.profile(for: arch).compileFlags + extraFlags }
}

public enum ToolchainError: Error, CustomStringConvertible, Equatable {
    case compilerMissing(arch: NativeArch, tried: [String], hint: String)
    case overrideUnusable(arch: NativeArch, path: String, detail: String)
    case wrongTarget(arch: NativeArch, path: String, machine: String)

    public var description: String {
        switch self {
        case .compilerMissing(let arch, let tried, let hint):
            return "no C compiler for \(arch.rawValue): tried \(tried.joined(separator: ", ")); install one: \(hint)"
        case .overrideUnusable(let arch, let path, let detail):
            return "--cc \(arch.rawValue)=\(path): \(detail)"
        case .wrongTarget(let arch, let path, let machine):
            return "\(path) compiles for \(machine), not for \(arch.rawValue); pass --cc \(arch.rawValue)=<a compiler for it>"
        }
    }
}
