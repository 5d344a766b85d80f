/// One decoded relocation entry: `count` machine words at `offset` of `base` get `target`'s
/// address added when the module loads.
public struct RelocationReport: Codable, Equatable, Sendable {
    /// "text" or "rodata": the block holding the words.
    public var base: String
    /// Byte offset of the first word in that block.
    public var offset: Int
    public var count: Int
    /// "text", "rodata", "bss", "qstr_table", "obj_table", "fun_table" or "fun_table_entry".
    public var kind: String
    /// For "fun_table_entry": the table index.
    public var entry: Int?
    /// What the first patched word points at afterwards, e.g. "mp_fun_table[9] load_attr",
    /// "rodata+0x20", "mp_native_qstr_table".
    public var target: String
    /// File offset of the entry in the relocation stream.
    public var fileOffset: Int
}
