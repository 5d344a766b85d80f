// MicroPython bindings: emlearn_cnn_fp32 / emlearn_cnn_int8 (one source, two builds).
//
//   model = emlearn_cnn_int8.new(tmdl_bytes)   # ValueError for anything malformed
//   model.run(pixels, outputs)                 # 'B' array HxWxC in, 'f' array out
//   model.output_dimensions()                  # e.g. (10,)
//
// Everything lives on the MicroPython heap and is reachable only from the Model
// object, so `del model; gc.collect()` gives it all back.
#include "py/dynruntime.h"

#include "cnn_model.h"

typedef struct {
    mp_obj_base_t base;
    uint8_t *model_data;   // private copy of the file; layer weights point into it
    cnn_layer_t *layers;
    uint8_t *arena;        // activations, at the offsets the file assigns
    cnn_header_t header;
} cnn_model_obj_t;

mp_obj_full_type_t cnn_model_type;

static mp_obj_t cnn_new(mp_obj_t model_data_obj) {
    mp_buffer_info_t source;
    mp_get_buffer_raise(model_data_obj, &source, MP_BUFFER_READ);

    // Copy first: the parser reads the fields as aligned words, the layer table and the
    // weight pointers refer to our copy, and m_malloc gives the word alignment they need.
    uint8_t *model_data = m_new(uint8_t, source.len);
    memcpy(model_data, source.buf, source.len);
    cnn_header_t header;
    cnn_layer_t *layers = NULL;
    int fault = tmdl_parse_header(model_data, source.len, &header);
    if (!fault) {
        // The header parse checked that the file can hold this many layers.
        layers = m_new(cnn_layer_t, header.layer_count);
        fault = tmdl_parse_layers(model_data, source.len, &header, layers);
    }
    if (fault) {
        m_free(layers);
        m_free(model_data);
        mp_raise_ValueError(tmdl_message(fault));
    }

    cnn_model_obj_t *self = mp_obj_malloc(cnn_model_obj_t, (mp_obj_type_t *)&cnn_model_type);
    self->model_data = model_data;
    self->layers = layers;
    self->header = header;
    self->arena = m_new(uint8_t, header.arena_size);
    return MP_OBJ_FROM_PTR(self);
}
static MP_DEFINE_CONST_FUN_OBJ_1(cnn_new_obj, cnn_new);

// The data of an array argument that must hold `bytes` bytes of `typecode`, else ValueError.
// One out-of-line check for both arguments of run().
static __attribute__((noinline)) void *array_arg(mp_obj_t obj, mp_uint_t flags, int typecode,
    size_t bytes, const char *message) {
    mp_buffer_info_t info;
    mp_get_buffer_raise(obj, &info, flags);
    if (info.typecode != typecode || info.len != bytes) {
        mp_raise_ValueError(message);
    }
    return info.buf;
}

static mp_obj_t cnn_model_run(mp_obj_t self_obj, mp_obj_t inputs_obj, mp_obj_t outputs_obj) {
    cnn_model_obj_t *self = MP_OBJ_TO_PTR(self_obj);
    const uint8_t *inputs = array_arg(inputs_obj, MP_BUFFER_READ, 'B',
        cnn_shape_count(&self->header.in), "inputs: 'B' array of h*w*c");
    float *outputs = array_arg(outputs_obj, MP_BUFFER_WRITE, 'f',
        cnn_shape_count(&self->header.out) * sizeof(float), "outputs: 'f' array of output size");
    cnn_run(&self->header, self->layers, self->arena, inputs, outputs);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(cnn_model_run_obj, cnn_model_run);

// The output shape without the leading 1s the file pads with: (c,), (w, c) or (h, w, c).
static mp_obj_t cnn_model_output_dimensions(mp_obj_t self_obj) {
    cnn_model_obj_t *self = MP_OBJ_TO_PTR(self_obj);
    const cnn_shape_t *out = &self->header.out;
    mp_obj_t dims[3] = {  // u16 values: always small ints, no allocation
        MP_OBJ_NEW_SMALL_INT(out->h), MP_OBJ_NEW_SMALL_INT(out->w), MP_OBJ_NEW_SMALL_INT(out->c)
    };
    return mp_obj_new_tuple(out->rank, dims + (3 - out->rank));
}
static MP_DEFINE_CONST_FUN_OBJ_1(cnn_model_output_dimensions_obj, cnn_model_output_dimensions);

mp_map_elem_t cnn_model_locals_table[2];
static MP_DEFINE_CONST_DICT(cnn_model_locals, cnn_model_locals_table);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    cnn_model_type.base.type = (void *)&mp_type_type;
    cnn_model_type.flags = MP_TYPE_FLAG_NONE;
    cnn_model_type.name = MP_QSTR_Model;
    cnn_model_locals_table[0] = (mp_map_elem_t) {
        MP_OBJ_NEW_QSTR(MP_QSTR_run), MP_OBJ_FROM_PTR(&cnn_model_run_obj)
    };
    cnn_model_locals_table[1] = (mp_map_elem_t) {
        MP_OBJ_NEW_QSTR(MP_QSTR_output_dimensions), MP_OBJ_FROM_PTR(&cnn_model_output_dimensions_obj)
    };
    MP_OBJ_TYPE_SET_SLOT(&cnn_model_type, locals_dict, (void *)&cnn_model_locals, 0);

    mp_store_global(MP_QSTR_new, MP_OBJ_FROM_PTR(&cnn_new_obj));

    MP_DYNRUNTIME_INIT_EXIT
}
