/// One entry of a native function's relocation stream: add the address of `target` to
/// `count` consecutive machine words starting at word `wordOffset` of `base`.
public struct MPYRelocation: Equatable, Sendable {
    /// Which loaded block the words to patch live in.
    public enum Base: Equatable, Sendable {
        case text, rodata
    }

    /// What address gets added to each word.
    public enum Target: Equatable, Sendable {
        case text, rodata, bss
        case qstrTable, objTable
        /// The address of `mp_fun_table` itself.
        case funTable
        /// The value of entry `index` of `mp_fun_table`.
        case funTableEntry(Int)
    }

    public var base: Base
    public var wordOffset: Int
    public var target: Target
    public var count: Int
    /// False when the entry continues right after the words of the previous entry.
    public var setsAddress: Bool
    /// The entry's bytes in the file.
    public var range: Range<Int>
}
