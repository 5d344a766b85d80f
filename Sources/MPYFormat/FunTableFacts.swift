/// Facts about MicroPython's native function table (mp_fun_table_t in py/nativeglue.h) that
/// the linker needs: which entries are reached by symbol name and where memset/memmove sit.
/// The table layout is the ABI: ABI 6.3 is MicroPython 1.23-1.29, ABI 6.2 is MicroPython 1.22.
public struct FunTableFacts: Sendable {
    /// Index of the first object pointer entry (type_type); the named objects follow in order.
    public let firstNamedObject: Int
    /// The objects a module may name as extern symbols, in table order from `firstNamedObject`.
    public let namedObjects: [String]
    public let memsetIndex = 50
    public let memmoveIndex = 51

    public static func forABI(_ abi: ABIVersion) -> FunTableFacts {
        abi.subVersion >= 3 ? v6_3 : v6_2
    }

    /// Table index of an object reached by name, e.g. "mp_type_type".
    public func index(ofNamedObject name: String) -> Int? {
        namedObjects.firstIndex(of: name).map { firstNamedObject + $0 }
    }

    // MicroPython 1.23 added six entries before type_type (load_method_maybe, two argument
    // parsers, three binary helpers) and type_Exception among the named objects.
    static let v6_3 = FunTableFacts(firstNamedObject: 73, namedObjects: [
        "mp_type_type", "mp_type_str", "mp_type_list", "mp_type_dict",
        "mp_type_fun_builtin_0", "mp_type_fun_builtin_1", "mp_type_fun_builtin_2",
        "mp_type_fun_builtin_3", "mp_type_fun_builtin_var", "mp_type_Exception",
        "mp_stream_read_obj", "mp_stream_readinto_obj", "mp_stream_unbuffered_readline_obj",
        "mp_stream_write_obj",
    ])

    static let v6_2 = FunTableFacts(firstNamedObject: 67, namedObjects: [
        "mp_type_type", "mp_type_str", "mp_type_list", "mp_type_dict",
        "mp_type_fun_builtin_0", "mp_type_fun_builtin_1", "mp_type_fun_builtin_2",
        "mp_type_fun_builtin_3", "mp_type_fun_builtin_var",
        "mp_stream_read_obj", "mp_stream_readinto_obj", "mp_stream_unbuffered_readline_obj",
        "mp_stream_write_obj",
    ])
}
