/// The CPU architectures a native .mpy can target, with the numbers MicroPython gives them
/// (MP_NATIVE_ARCH_* in py/persistentcode.h, unchanged from MicroPython 1.22 to 1.29).
public enum NativeArch: String, CaseIterable, Sendable, Comparable {
    case x86, x64, armv6m, armv7m, armv7emsp, armv7emdp, xtensa, xtensawin, rv32imc, rv64imc

    public var code: UInt8 {
        switch self {
        case .x86: return 1
        case .x64: return 2
        case .armv6m: return 4
        case .armv7m: return 5
        case .armv7emsp: return 7
        case .armv7emdp: return 8
        case .xtensa: return 9
        case .xtensawin: return 10
        case .rv32imc: return 11
        case .rv64imc: return 12
        }
    }

    public init?(code: UInt8) {
        guard let arch = NativeArch.allCases.first(where: { $0.code == code }) else { return nil }
        self = arch
    }

    /// Names of MicroPython arch codes mpyforge does not target, for messages about foreign files.
    public static func describe(code: UInt8) -> String {
        if let arch = NativeArch(code: code) { return arch.rawValue }
        switch code {
        case 0: return "none (bytecode only)"
        case 3: return "armv6 (ARM, not Thumb)"
        case 6: return "armv7em"
        default: return "unknown arch code \(code)"
        }
    }

    public var wordSize: Int {
        switch self {
        case .x64, .rv64imc: return 8
        default: return 4
        }
    }

    /// Boards and chips that run this architecture, for people choosing a build.
    public var boards: String {
        switch self {
        case .x86: return "32-bit x86 unix port"
        case .x64: return "unix/Linux and Windows x86-64 ports"
        case .armv6m: return "Cortex-M0/M0+ (RP2040, SAMD21)"
        case .armv7m: return "Cortex-M3"
        case .armv7emsp: return "Cortex-M4F/M33 with single-precision FPU (STM32F4, nRF52, RP2350)"
        case .armv7emdp: return "Cortex-M7 with double-precision FPU (STM32F7/H7, i.MX RT)"
        case .xtensa: return "ESP8266"
        case .xtensawin: return "ESP32, ESP32-S2, ESP32-S3"
        case .rv32imc: return "ESP32-C3/C6, RP2350 in RISC-V mode"
        case .rv64imc: return "64-bit RISC-V unix/qemu"
        }
    }

    public static func < (lhs: NativeArch, rhs: NativeArch) -> Bool {
        lhs.code < rhs.code
    }
}
