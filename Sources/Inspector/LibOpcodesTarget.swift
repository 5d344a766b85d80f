import CLibOpcodes
import MPYFormat

/// How libopcodes names one of our architectures: BFD arch, machine and disassembler options.
struct LibOpcodesTarget {
    var architecture: bfd_architecture
    var machine: UInt
    /// Passed as disassembler_options ("force-thumb": M-profile cores run Thumb only).
    var options: String?

    init(_ arch: NativeArch) {
        switch arch {
        case .x86: self.init(architecture: bfd_arch_i386, machine: UInt(bfd_mach_i386_i386), options: nil)
        case .x64: self.init(architecture: bfd_arch_i386, machine: UInt(bfd_mach_x86_64), options: nil)
        case .armv6m: self.init(architecture: bfd_arch_arm, machine: UInt(bfd_mach_arm_6M), options: "force-thumb")
        case .armv7m: self.init(architecture: bfd_arch_arm, machine: UInt(bfd_mach_arm_7), options: "force-thumb")
        case .armv7emsp, .armv7emdp:
            self.init(architecture: bfd_arch_arm, machine: UInt(bfd_mach_arm_7EM), options: "force-thumb")
        case .xtensa, .xtensawin: self.init(architecture: bfd_arch_xtensa, machine: UInt(bfd_mach_xtensa), options: nil)
        case .rv32imc: self.init(architecture: bfd_arch_riscv, machine: UInt(bfd_mach_riscv32), options: nil)
        case .rv64imc: self.init(architecture: bfd_arch_riscv, machine: UInt(bfd_mach_riscv64), options: nil)
        }
    }

    /// Whether the installed libopcodes (binutils-multiarch) disassembles this arch; Debian
    /// builds it without Xtensa.
    static func hasLibOpcodesSupport(_ arch: NativeArch) -> Bool {
        LibOpcodesTarget(arch).architecture != bfd_arch_xtensa
    }

    private init(architecture: bfd_architecture, machine: UInt, options: String?) {
        self.architecture = architecture
        self.machine = machine
        self.options = options
    }
}
