import MPYFormat

/// How to compile natmod C for one architecture: the compilers that can do it, the flags
/// MicroPython's natmod build uses for it, and how to get a compiler when none is found.
/// Facts from MicroPython's py/dynruntime.mk (1.22-1.29).
public struct ArchProfile: Sendable {
    public enum FloatImplementation: String, Sendable { case none = "NONE", float = "FLOAT", double = "DOUBLE" }

    public let arch: NativeArch
    /// Executable names tried in order on PATH (and in ESP-IDF installs for Xtensa).
    public let compilerNames: [String]
    public let archFlags: [String]
    public let floatImplementation: FloatImplementation
    /// The one command that installs a compiler, for `doctor` and errors.
    public let installHint: String
    /// Flags a compiler needs because of which driver it is, by executable name: Espressif's
    /// multi-chip xtensa-esp-elf-gcc must be told the chip (the flag its own per-chip drivers
    /// pass, which also picks the chip's multilib of libgcc and libc).
    public var driverFlags: [String: [String]] = [:]

    public static func profile(for arch: NativeArch) -> ArchProfile {
        switch arch {
        // -malign-data=abi: GCC otherwise aligns every static array or struct of 32 bytes and more
        // to 32 (compatibility with objects of old GCCs, which nothing here links with); the psABI
        // alignment is enough, and the padding it saves is 8-24 bytes of most modules.
        case .x64:
            return ArchProfile(arch: arch, compilerNames: ["x86_64-linux-gnu-gcc", "gcc", "cc"],
                               archFlags: ["-fno-stack-protector", "-malign-data=abi"], floatImplementation: .double,
                               installHint: "apt-get install gcc")
        case .x86:
            return ArchProfile(arch: arch, compilerNames: ["i686-linux-gnu-gcc"],
                               archFlags: ["-fno-stack-protector", "-malign-data=abi"], floatImplementation: .double,
                               installHint: "apt-get install gcc-i686-linux-gnu")
        case .armv6m:
            return thumb(arch, ["-mthumb", "-mcpu=cortex-m0"], .float)
        case .armv7m:
            return thumb(arch, ["-mthumb", "-mcpu=cortex-m3"], .float)
        case .armv7emsp:
            return thumb(arch, ["-mthumb", "-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"], .float)
        case .armv7emdp:
            return thumb(arch, ["-mthumb", "-mcpu=cortex-m7", "-mfpu=fpv5-d16", "-mfloat-abi=hard"], .double)
        case .xtensa:
            return ArchProfile(arch: arch, compilerNames: ["xtensa-lx106-elf-gcc"], archFlags: ["-mforce-l32"],
                               floatImplementation: .none,
                               installHint: "mpyforge toolchain install xtensa, or apt-get install gcc-xtensa-lx106 binutils-xtensa-lx106 picolibc-xtensa-lx106-elf")
        case .xtensawin:
            // ESP-IDF 5.2 and later ship one xtensa-esp-elf toolchain for every Xtensa chip; its
            // bin/ holds per-chip drivers (xtensa-esp32-elf-gcc, ...) that select the ESP32 core.
            // The bare xtensa-esp-elf-gcc compiles for a generic big-endian core unless told.
            // -mno-target-align: the assembler otherwise widens instructions and pads to align
            // branch targets, a speed trade that costs 1-3% of every module's size.
            return ArchProfile(arch: arch, compilerNames: ["xtensa-esp32-elf-gcc", "xtensa-esp-elf-gcc"], archFlags: ["-mno-target-align"],
                               floatImplementation: .float,
                               installHint: "mpyforge toolchain install xtensawin, or install ESP-IDF (docs.espressif.com: Get Started) and run its export.sh, or pass --cc xtensawin=/path/to/xtensa-esp32-elf-gcc",
                               driverFlags: ["xtensa-esp-elf-gcc": ["-mdynconfig=xtensa_esp32.so"]])
        case .rv32imc:
            return ArchProfile(arch: arch, compilerNames: ["riscv64-unknown-elf-gcc", "riscv32-esp-elf-gcc"],
                               archFlags: ["-march=rv32imac", "-mabi=ilp32", "-mno-relax"], floatImplementation: .none,
                               installHint: "mpyforge toolchain install rv32imc, or apt-get install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf")
        case .rv64imc:
            return ArchProfile(arch: arch, compilerNames: ["riscv64-unknown-elf-gcc"],
                               archFlags: ["-march=rv64imac", "-mabi=lp64", "-mno-relax"], floatImplementation: .none,
                               installHint: "apt-get install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf")
        }
    }

    private static func thumb(_ arch: NativeArch, _ flags: [String], _ float: FloatImplementation) -> ArchProfile {
        ArchProfile(arch: arch, compilerNames: ["arm-none-eabi-gcc"], archFlags: flags, floatImplementation: float,
                    installHint: "mpyforge toolchain install \(arch.rawValue), or apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi")
    }

    /// Target triples (from `cc -dumpmachine`) a compiler must report to be used for this arch;
    /// empty when any compiler found under the arch's names will do. The host's gcc is a
    /// candidate for x64 only on an x86-64 host.
    public var requiredMachinePrefixes: [String] {
        switch arch {
        case .x64: return ["x86_64"]
        case .x86: return ["i686", "i386"]
        default: return []
        }
    }

    /// Bare-metal RISC-V toolchains on Debian and Ubuntu ship picolibc instead of newlib and
    /// find its headers only through its specs file (MicroPython's dynruntime.mk does the same).
    /// The specs file must name this word in its paths to be the right one.
    public var picolibcSpecsMarker: String? {
        arch == .rv32imc || arch == .rv64imc ? "riscv" : nil
    }

    /// Where Debian's picolibc keeps this arch's libc.a (with the maths functions) when the
    /// compiler cannot name it: gcc 12 ignores the specs file's paths for --print-file-name.
    /// The same fallback as MicroPython's dynruntime.mk (PICOLIBC_ROOT/PICOLIBC_TARGET).
    public var picolibcLibraries: [String] {
        switch arch {
        case .rv32imc: return ["/usr/lib/picolibc/riscv64-unknown-elf/lib/rv32imac/ilp32/libc.a"]
        case .rv64imc: return ["/usr/lib/picolibc/riscv64-unknown-elf/lib/rv64imac/lp64/libc.a"]
        default: return []
        }
    }

    /// A maths library to prefer over the compiler's own libm. glibc's static libm cannot go
    /// into a native module (IFUNC dispatch, errno in thread-local storage); musl's is plain
    /// position-independent code that never touches errno (package musl-dev).
    public var preferredMathLibraries: [String] {
        arch == .x64 ? ["/usr/lib/x86_64-linux-musl/libc.a", "/usr/lib/musl/lib/libc.a"] : []
    }

    /// C files of the SDK (relative to it) that mpyforge compiles for this arch and offers to
    /// the linker before the runtime libraries, to stand in for what those need but a module
    /// cannot have, or for a library routine that costs more bytes than it must (see
    /// CModules/sdk/runtime/).
    public var runtimeSupportSources: [String] {
        switch arch {
        // Cortex-M0 and RISC-V: float subtraction through the adder, smaller than libgcc's own.
        case .armv6m: return ["runtime/string.c", "runtime/newlib_math.c", "runtime/soft_float_sub.c"]
        case .armv7m, .armv7emsp, .armv7emdp: return ["runtime/string.c", "runtime/newlib_math.c"]
        case .xtensawin: return ["runtime/string.c", "runtime/newlib_math.c", "runtime/xtensawin_nlr_setjmp.c"]
        case .rv32imc, .rv64imc: return ["runtime/string.c", "runtime/soft_float_sub.c"]
        default: return ["runtime/string.c"]
        }
    }

    /// Symbols the device's ROM provides at fixed addresses, linked by address.
    public var romSymbols: [String: UInt64] {
        arch == .xtensa ? ESP8266ROM.runtimeHelpers : [:]
    }

    /// The flags of every natmod compile for this arch, before module-specific ones.
    public var compileFlags: [String] {
        // -fno-math-errno (not in upstream's flags): a native module has no errno to set, and
        // without it sqrtf() is a libm call instead of one FPU instruction.
        ["-std=c99", "-Os", "-Wall", "-Werror", "-DNDEBUG", "-DNO_QSTR", "-DMICROPY_ENABLE_DYNRUNTIME",
         positionIndependenceFlag, "-fno-common", "-U_FORTIFY_SOURCE", "-fno-math-errno"]
            + archFlags + ["-DMICROPY_FLOAT_IMPL=MICROPY_FLOAT_IMPL_\(floatImplementation.rawValue)"]
    }

    /// How code reaches addresses known only at load time (its own data, bss, mp_fun_table).
    /// Thumb code loads every address from a literal word beside the code, and the .mpy loader
    /// patches words, so without -fpic each address is one patched literal; -fpic (upstream's
    /// choice everywhere) adds a GOT-base computation, two more literals and an indirection to
    /// every function that touches data: 5-7% of every Thumb module. GCC keeps literal pools
    /// for Cortex-M at -O2 too (no MOVW/MOVT pairs, which no loader relocation could patch).
    /// ESP32 code without -fpic calls functions with one CALL8 instead of a literal word and
    /// CALLX8 (2-5% smaller); the linker sends its direct calls to memset/memmove through a
    /// stub. Elsewhere -fpic stays: addresses are built by instructions the loader cannot patch
    /// (RISC-V lui/addi, x86-64 rip-relative beyond 2 GiB), and the ESP8266's float helpers
    /// live in its ROM, out of CALL0's reach.
    public var positionIndependenceFlag: String {
        switch arch {
        case .armv6m, .armv7m, .armv7emsp, .armv7emdp, .xtensawin: return "-fno-pic"
        default: return "-fpic"
        }
    }
}
