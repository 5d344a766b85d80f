/// Why a module's bytecode could not be re-encoded with shifted qstr and object indices.
public enum BytecodeRewriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Only bytecode can be rewritten; native, viper and asm code embed indices in machine code.
    case notBytecode(kind: MPY.CodeKind, offset: Int)
    /// A jump (at `offset`) lands inside an instruction or outside its function.
    case jumpTargetNotAnOpcode(offset: Int, target: Int)
    /// After re-layout a jump (at the original `offset`) no longer fits its 15-bit field.
    case jumpOverflow(offset: Int)
    /// Jump sizes kept changing between layout passes (function at `offset`).
    case layoutDidNotSettle(offset: Int)
    /// Adding the table base to an index (at `offset`) overflows.
    case indexOverflow(offset: Int)
    /// A qstr index (at `offset`) is past the end of its module's qstr table.
    case qstrIndexOutOfRange(index: Int, offset: Int)

    public var description: String {
        switch self {
        case .notBytecode(let kind, let offset): return "cannot rewrite \(kind) code at offset \(offset), only bytecode"
        case .jumpTargetNotAnOpcode(let offset, let target):
            return "jump at offset \(offset) targets offset \(target), which is not an opcode start"
        case .jumpOverflow(let offset): return "jump at offset \(offset) overflows after rewriting"
        case .layoutDidNotSettle(let offset): return "jump layout of function at offset \(offset) does not settle"
        case .indexOverflow(let offset): return "index at offset \(offset) overflows after rewriting"
        case .qstrIndexOutOfRange(let index, let offset):
            return "qstr index \(index) at offset \(offset) is past the end of the module's qstr table"
        }
    }
}
