import MPYFormat

/// The entries of MicroPython's native function table (`mp_fun_table_t`, py/nativeglue.h) in
/// table order, named as the struct fields are. Relocations of kind "fun-table entry N" add
/// entry N's value, so these names say what a relocated word points at.
///
/// The list describes MicroPython 1.29 (ABI 6.3, also MicroPython 1.23-1.28). ABI 6.2
/// (MicroPython 1.22) lacks the seven entries `removedAfter6_2` lists, as `FunTableFacts` records.
public enum FunTableEntryNames {
    static let abi6_3: [String] = [
        "const_none", "const_false", "const_true", "native_from_obj", "native_to_obj",
        "swap_globals", "load_name", "load_global", "load_build_class", "load_attr",
        "load_method", "load_super_method", "store_name", "store_global", "store_attr",
        "obj_subscr", "obj_is_true", "unary_op", "binary_op", "new_tuple",
        "new_list", "new_dict", "new_set", "set_store", "list_append",
        "dict_store", "make_function_from_proto_fun", "call_function_n_kw", "call_method_n_kw",
        "call_method_n_kw_var",
        "getiter", "iternext", "nlr_push", "nlr_pop", "raise",
        "import_name", "import_from", "import_all", "new_slice", "unpack_sequence",
        "unpack_ex", "delete_name", "delete_global", "new_closure", "arg_check_num_sig",
        "setup_code_state_native", "small_int_floor_divide", "small_int_modulo", "yield_from", "setjmp_",
        // Index 50: the entries for dynamic native modules begin.
        "memset_", "memmove_", "realloc_", "printf_", "vprintf_",
        "raise_msg", "obj_get_type", "obj_new_str", "obj_new_bytes", "obj_new_bytearray_by_ref",
        "obj_new_float_from_f", "obj_new_float_from_d", "obj_get_float_to_f", "obj_get_float_to_d",
        "load_method_maybe",
        "get_buffer", "get_stream_raise", "arg_parse_all", "arg_parse_all_kw_array", "binary_get_size",
        "binary_get_val_array", "binary_set_val_array", "plat_print",
        // Index 73: the objects modules name as extern symbols.
        "type_type", "type_str", "type_list", "type_dict", "type_fun_builtin_0",
        "type_fun_builtin_1", "type_fun_builtin_2", "type_fun_builtin_3", "type_fun_builtin_var",
        "type_Exception",
        "stream_read_obj", "stream_readinto_obj", "stream_unbuffered_readline_obj", "stream_write_obj",
    ]

    static let removedAfter6_2: Set<String> = [
        "load_method_maybe", "arg_parse_all", "arg_parse_all_kw_array", "binary_get_size",
        "binary_get_val_array", "binary_set_val_array", "type_Exception",
    ]

    static let abi6_2: [String] = abi6_3.filter { !removedAfter6_2.contains($0) }

    /// All entry names of the table an ABI's loader provides.
    public static func names(for abi: ABIVersion) -> [String] {
        abi.subVersion >= 3 ? abi6_3 : abi6_2
    }

    /// The name of entry `index`, or nil past the end of the table.
    public static func name(ofEntry index: Int, abi: ABIVersion) -> String? {
        let table = names(for: abi)
        return table.indices.contains(index) ? table[index] : nil
    }
}
