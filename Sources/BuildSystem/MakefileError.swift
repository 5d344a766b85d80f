import MPYFormat

/// Why a natmod Makefile could not be turned into a build plan.
public enum MakefileError: Error, CustomStringConvertible, Equatable {
    case makeMissing
    case makeFailed(makefile: String, arch: NativeArch, command: String, output: String)
    case notNatmod(makefile: String)
    case missingVariable(makefile: String, arch: NativeArch, name: String)
    case badModuleName(makefile: String, arch: NativeArch, value: String)
    case nameDiffersByArch(makefile: String, names: [String])
    case badFloat(makefile: String, arch: NativeArch, value: String)
    case badQuoting(makefile: String, arch: NativeArch, variable: String, value: String)
    case reservedVariable(name: String, use: String)
    case needsMicroPython(makefile: String, source: String, include: String, mpyDir: String?)
    case view(checkout: String, view: String, detail: String)
    case makeTimedOut(makefile: String, arch: NativeArch, seconds: Double)

    public var description: String {
        switch self {
        case .makeMissing:
            return "reading a natmod Makefile needs GNU make, which is not on PATH: apt-get install make (or write a module.toml)"
        case .makeFailed(let makefile, let arch, let command, let output):
            return "\(makefile): make failed for ARCH=\(arch.rawValue)\n\(output.trimmingCharacters(in: .whitespacesAndNewlines))\nrerun: \(command)"
        case .notNatmod(let makefile):
            return "\(makefile): not a natmod Makefile: it never includes $(MPY_DIR)/py/dynruntime.mk (add that include, or write a module.toml)"
        case .missingVariable(let makefile, let arch, let name):
            return "\(makefile): \(name) is empty for ARCH=\(arch.rawValue); a natmod Makefile sets \(name) before including dynruntime.mk"
        case .badModuleName(let makefile, let arch, let value):
            return "\(makefile): MOD = '\(value)' (ARCH=\(arch.rawValue)) is not a valid module name: use letters, digits and _ (it names the .mpy file and the Python module)"
        case .nameDiffersByArch(let makefile, let names):
            return "\(makefile): MOD differs between arches (\(names.joined(separator: ", "))); one module must have one name"
        case .badFloat(let makefile, let arch, let value):
            return "\(makefile): MICROPY_FLOAT_IMPL = '\(value)' (ARCH=\(arch.rawValue)) is not one of none, float, double"
        case .badQuoting(let makefile, let arch, let variable, let value):
            return "\(makefile): \(variable) (ARCH=\(arch.rawValue)) has an unclosed quote: \(value)"
        case .reservedVariable(let name, let use):
            return "\(name)=... cannot be given as a make variable: \(use)"
        case .needsMicroPython(let makefile, let source, let include, let mpyDir):
            let place = mpyDir.map { "its MPY_DIR (\($0)) is not a MicroPython checkout" } ?? "it sets no MPY_DIR"
            return "\(makefile): \(source) includes \"\(include)\", a MicroPython internal that mpyforge's SDK does not have, and \(place): "
                + "pass --micropython DIR (the top of a MicroPython checkout), or MPY_DIR=DIR after the directory"
        case .makeTimedOut(let makefile, let arch, let seconds):
            return "\(makefile): make did not finish in \(Int(seconds)) s for ARCH=\(arch.rawValue) (a $(shell ...) that waits, or a loop?); stopped it"
        case .view(let checkout, let view, let detail):
            return "\(view): cannot make a view of the MicroPython checkout \(checkout): \(detail)"
        }
    }
}
