// Argument checks for kernel modules, written to cost few bytes: every raise site is a single
// call (instead of a builtins lookup plus raise_msg inlined at each site), and the buffer +
// typecode check exists once per module. Include after py/dynruntime.h.
#ifndef MPYFORGE_KERNEL_ARGS_H
#define MPYFORGE_KERNEL_ARGS_H

// One out-of-line copy per module; no unused-function warning where a module skips one.
#define MPYFORGE_KERNEL_HELPER static __attribute__((unused, noinline))

// mp_raise_ValueError and mp_raise_TypeError are themselves one shared call per module now.
#define mpyforge_raise_value_error(msg) mp_raise_ValueError(msg)
#define mpyforge_raise_type_error(msg) mp_raise_TypeError(msg)

// The elements of `obj`, which must support the buffer protocol with `flags` and hold elements of
// `typecode` ('B', 'h' or 'f'; a bytearray counts as 'B'), else TypeError(type_msg).
// Stores the element count in *n.
MPYFORGE_KERNEL_HELPER void *mpyforge_get_typed_array(mp_obj_t obj, int typecode, size_t *n, mp_uint_t flags,
                                                     const char *type_msg) {
    mp_buffer_info_t info;
    mp_get_buffer_raise(obj, &info, flags);
    if (info.typecode != typecode && !(typecode == 'B' && info.typecode == BYTEARRAY_TYPECODE)) {
        mp_raise_TypeError(type_msg);
    }
    *n = info.len / (typecode == 'f' ? 4 : typecode == 'h' ? 2 : 1);
    return info.buf;
}

#endif
