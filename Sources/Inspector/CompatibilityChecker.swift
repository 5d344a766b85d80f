import MPYFormat

/// Applies MicroPython's load-time checks (mp_raw_code_load in py/persistentcode.c,
/// MicroPython 1.22-1.29) to an .mpy header and a firmware, and explains the outcome.
public enum CompatibilityChecker {
    public static func check(_ header: MPYHeaderFacts, against target: LoadTarget) -> CompatibilityVerdict {
        var problems: [String] = []
        var remarks: [String] = []
        let fileArch = NativeArch.describe(code: header.archCode)
        let targetReleases = MPYVersionReleases.releases(version: target.version, subVersion: target.subVersion)

        if header.version != target.version {
            let fileReleases = MPYVersionReleases.releases(version: header.version, subVersion: nil)
            problems.append("the file is .mpy version \(header.version) (\(fileReleases)); the firmware reads only version \(target.version) (\(targetReleases))")
        } else if header.hasNativeCode, header.subVersion != target.subVersion {
            problems.append("the file's native code uses ABI \(header.version).\(header.subVersion) (\(MPYVersionReleases.releases(version: header.version, subVersion: header.subVersion))); the firmware's native ABI is \(target.abi) (\(targetReleases))")
        }
        // MicroPython writes at most 31 small-int bits and every firmware we know reads 31 or more.
        if header.smallIntBits > 31 {
            remarks.append("the file assumes \(header.smallIntBits)-bit small ints; a firmware with fewer refuses it")
        }
        if header.version == target.version, header.hasNativeCode {
            if target.archCode == 0 {
                problems.append("the file holds native \(fileArch) code and this firmware was built without native code support")
            } else if !archLoads(file: header.archCode, firmware: target.archCode) {
                problems.append("the file holds native code for \(fileArch); the firmware runs \(NativeArch.describe(code: target.archCode))" + armHint(file: header.archCode, firmware: target.archCode))
            } else if header.archCode != target.archCode {
                remarks.append("\(fileArch) code runs on \(NativeArch.describe(code: target.archCode)), though a \(NativeArch.describe(code: target.archCode)) build may be faster")
            }
            if let flags = header.archFlags, flags != 0 {
                problems += archFlagProblems(flags, header: header, target: target, remarks: &remarks)
            }
        }

        let suitable = suitableBuilds(for: target)
        var advice: [String] = []
        if !problems.isEmpty {
            if !header.hasNativeCode || header.version != MPY.version && target.archCode == 0 {
                advice.append("recompile the .py source with the mpy-cross of \(targetReleases), or install the .py itself")
            } else if let best = suitable.first, let arch = NativeArch(code: target.archCode) {
                advice.append("rebuild for this firmware: mpyforge build --arch \(arch.rawValue) --abi \(target.abi) (writes dist/\(best)/)")
            } else if target.archCode != 0 {
                advice.append("mpyforge cannot build native code for \(NativeArch.describe(code: target.archCode)) or ABI \(target.abi); install a pure-Python version of the module")
            } else {
                advice.append("install a pure-Python (bytecode) version of the module, or flash a firmware with native code enabled (MICROPY_EMIT_* in the board config)")
            }
        }
        return CompatibilityVerdict(
            loads: problems.isEmpty, file: describe(header), target: target.description,
            problems: problems, remarks: remarks, advice: advice, suitableBuilds: suitable)
    }

    /// Thumb firmware also runs code for older Thumb cores; every other arch needs an exact match.
    static func archLoads(file: UInt8, firmware: UInt8) -> Bool {
        let thumbFirst = NativeArch.armv6m.code, thumbLast = NativeArch.armv7emdp.code
        if (thumbFirst...thumbLast).contains(firmware) {
            return (thumbFirst...firmware).contains(file)
        }
        return file == firmware
    }

    private static func armHint(file: UInt8, firmware: UInt8) -> String {
        let thumb = NativeArch.armv6m.code...NativeArch.armv7emdp.code
        guard thumb.contains(file), thumb.contains(firmware), file > firmware else { return "" }
        return " (code for a newer ARM core does not run on an older one; armv6m code runs on every Cortex-M)"
    }

    private static func archFlagProblems(_ flags: Int, header: MPYHeaderFacts, target: LoadTarget,
                                         remarks: inout [String]) -> [String] {
        let names = ArchFlagNames.names(flags, archCode: header.archCode).joined(separator: ", ")
        guard target.archCode == NativeArch.rv32imc.code else {
            return ["the file carries arch flags (\(names)), which only rv32imc firmware understands"]
        }
        guard let allowed = target.archFlags else {
            remarks.append("the file needs RISC-V extensions \(names); check that the firmware enables them")
            return []
        }
        let missing = flags & ~allowed
        guard missing != 0 else { return [] }
        let missingNames = ArchFlagNames.names(missing, archCode: header.archCode).joined(separator: ", ")
        return ["the file uses RISC-V extensions the firmware does not enable: \(missingNames)"]
    }

    /// Dist directory names whose files this firmware loads, best first.
    public static func suitableBuilds(for target: LoadTarget) -> [String] {
        guard target.archCode != 0, ABIVersion.supported.contains(target.abi) else { return [] }
        let arches = NativeArch.allCases.filter { archLoads(file: $0.code, firmware: target.archCode) }
            .sorted { $0.code > $1.code }
        return arches.map { "\($0.rawValue)_\(target.abi)" }
    }

    static func describe(_ header: MPYHeaderFacts) -> String {
        if header.version != MPY.version {
            return ".mpy version \(header.version) (\(MPYVersionReleases.releases(version: header.version, subVersion: nil)))"
        }
        if !header.hasNativeCode {
            return "bytecode for .mpy version \(header.version) (\(MPYVersionReleases.releases(version: header.version, subVersion: nil)))"
        }
        let abi = "\(header.version).\(header.subVersion)"
        return "native \(NativeArch.describe(code: header.archCode)) code for .mpy \(abi) (\(MPYVersionReleases.releases(version: header.version, subVersion: header.subVersion)))"
    }
}
