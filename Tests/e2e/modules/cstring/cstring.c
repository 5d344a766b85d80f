// Exercises the SDK's C string functions from a native module: each Python function
// forwards its arguments to one C function and returns the result.
#include "py/dynruntime.h"
#include <string.h>

// POSIX, not C99: <string.h> declares it only outside -std=c99.
size_t strnlen(const char *s, size_t limit);

static const char *text(mp_obj_t o) {
    return mp_obj_str_get_str(o);
}

static mp_obj_t c_strlen(mp_obj_t s) {
    return mp_obj_new_int(strlen(text(s)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(c_strlen_obj, c_strlen);

static mp_obj_t c_strnlen(mp_obj_t s, mp_obj_t n) {
    return mp_obj_new_int(strnlen(text(s), mp_obj_get_int(n)));
}
static MP_DEFINE_CONST_FUN_OBJ_2(c_strnlen_obj, c_strnlen);

static mp_obj_t sign(int v) {
    return mp_obj_new_int(v < 0 ? -1 : v > 0 ? 1 : 0);
}

static mp_obj_t c_strcmp(mp_obj_t a, mp_obj_t b) {
    return sign(strcmp(text(a), text(b)));
}
static MP_DEFINE_CONST_FUN_OBJ_2(c_strcmp_obj, c_strcmp);

static mp_obj_t c_strncmp(mp_obj_t a, mp_obj_t b, mp_obj_t n) {
    return sign(strncmp(text(a), text(b), mp_obj_get_int(n)));
}
static MP_DEFINE_CONST_FUN_OBJ_3(c_strncmp_obj, c_strncmp);

static mp_obj_t c_memcmp(mp_obj_t a, mp_obj_t b) {
    mp_buffer_info_t x, y;
    mp_get_buffer_raise(a, &x, MP_BUFFER_READ);
    mp_get_buffer_raise(b, &y, MP_BUFFER_READ);
    return sign(memcmp(x.buf, y.buf, x.len < y.len ? x.len : y.len));
}
static MP_DEFINE_CONST_FUN_OBJ_2(c_memcmp_obj, c_memcmp);

// Offset of the byte in the buffer, or -1.
static mp_obj_t c_memchr(mp_obj_t a, mp_obj_t c) {
    mp_buffer_info_t x;
    mp_get_buffer_raise(a, &x, MP_BUFFER_READ);
    const unsigned char *found = memchr(x.buf, mp_obj_get_int(c), x.len);
    return mp_obj_new_int(found ? found - (const unsigned char *)x.buf : -1);
}
static MP_DEFINE_CONST_FUN_OBJ_2(c_memchr_obj, c_memchr);

static mp_obj_t offset(const char *base, const char *found) {
    return mp_obj_new_int(found ? found - base : -1);
}

static mp_obj_t c_strchr(mp_obj_t s, mp_obj_t c) {
    return offset(text(s), strchr(text(s), mp_obj_get_int(c)));
}
static MP_DEFINE_CONST_FUN_OBJ_2(c_strchr_obj, c_strchr);

static mp_obj_t c_strrchr(mp_obj_t s, mp_obj_t c) {
    return offset(text(s), strrchr(text(s), mp_obj_get_int(c)));
}
static MP_DEFINE_CONST_FUN_OBJ_2(c_strrchr_obj, c_strrchr);

static mp_obj_t c_strstr(mp_obj_t s, mp_obj_t n) {
    return offset(text(s), strstr(text(s), text(n)));
}
static MP_DEFINE_CONST_FUN_OBJ_2(c_strstr_obj, c_strstr);

// strcpy then strncpy into a stack buffer: "<a>" + first n bytes of b, padded.
static mp_obj_t c_copy(mp_obj_t a, mp_obj_t b, mp_obj_t n) {
    char buffer[64];
    size_t count = mp_obj_get_int(n);
    if (strlen(text(a)) + count >= sizeof(buffer)) {
        mp_raise_ValueError(MP_ERROR_TEXT("too long"));
    }
    strcpy(buffer, text(a));
    char *tail = buffer + strlen(buffer);
    strncpy(tail, text(b), count);
    tail[count] = '\0';
    return mp_obj_new_str(buffer, strlen(buffer));
}
static MP_DEFINE_CONST_FUN_OBJ_3(c_copy_obj, c_copy);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_strlen, MP_OBJ_FROM_PTR(&c_strlen_obj));
    mp_store_global(MP_QSTR_strnlen, MP_OBJ_FROM_PTR(&c_strnlen_obj));
    mp_store_global(MP_QSTR_strcmp, MP_OBJ_FROM_PTR(&c_strcmp_obj));
    mp_store_global(MP_QSTR_strncmp, MP_OBJ_FROM_PTR(&c_strncmp_obj));
    mp_store_global(MP_QSTR_memcmp, MP_OBJ_FROM_PTR(&c_memcmp_obj));
    mp_store_global(MP_QSTR_memchr, MP_OBJ_FROM_PTR(&c_memchr_obj));
    mp_store_global(MP_QSTR_strchr, MP_OBJ_FROM_PTR(&c_strchr_obj));
    mp_store_global(MP_QSTR_strrchr, MP_OBJ_FROM_PTR(&c_strrchr_obj));
    mp_store_global(MP_QSTR_strstr, MP_OBJ_FROM_PTR(&c_strstr_obj));
    mp_store_global(MP_QSTR_copy, MP_OBJ_FROM_PTR(&c_copy_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
