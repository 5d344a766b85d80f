"""emlearn_cnn_fp32 / emlearn_cnn_int8: TinyMaix (.tmdl) CNN interpreter.

Models are made here with scripts/tmdl_writer.py from random weights; the MicroPython
results are compared with the writer's numpy forward passes: fp32 with the float
reference, int8 with the int8 simulation (within one quantisation step of the output).
"""

import json
import struct
import sys

import numpy as np
import pytest

from conftest import REPO, run_micropython, run_micropython_json

sys.path.insert(0, str(REPO / "scripts"))
import tmdl_writer as tw  # noqa: E402

F32 = np.float32


@pytest.fixture(scope="module")
def libdir(build_module):
    return build_module("emlearn_cnn")


def he(rng, *shape, gain=1.0):
    fan_in = int(np.prod(shape[:-1]))
    return (rng.normal(0, np.sqrt(2.0 / fan_in), shape) * gain).astype(F32)


RUN_MODELS = """
import array, gc, json, emlearn_cnn_fp32, emlearn_cnn_int8
modules = {'fp32': emlearn_cnn_fp32, 'int8': emlearn_cnn_int8}
for path, variant, n_images in %(jobs)r:
    model = modules[variant].new(open(path + '.tmdl', 'rb').read())
    dims = model.output_dimensions()
    n_out = 1
    for d in dims:
        n_out *= d
    pixels = open(path + '.pixels', 'rb').read()
    size = len(pixels) // n_images
    outputs = []
    for i in range(n_images):
        out = array.array('f', bytes(4 * n_out))
        model.run(array.array('B', pixels[i * size:(i + 1) * size]), out)
        outputs.append(bytes(out).hex())  # exact, and compact on the small unix-port heap
    print(json.dumps({'dims': list(dims), 'outputs': outputs}))
    del model, pixels, outputs
    gc.collect()
"""


def run_models(libdir, tmp_path, jobs):
    """jobs: (name, variant, tmdl bytes, images uint8 N x H x W x C). Runs them all in one VM;
    returns per job {'dims': [...], 'outputs': [float32 array per image]}."""
    specs = []
    for name, variant, data, images in jobs:
        path = tmp_path / f"{name}_{variant}"
        path.with_suffix(".tmdl").write_bytes(data)
        (tmp_path / f"{name}_{variant}.pixels").write_bytes(np.ascontiguousarray(images).tobytes())
        specs.append((str(path), variant, len(images)))
    lines = run_micropython(RUN_MODELS % {"jobs": specs}, libdir).stdout.strip().splitlines()
    results = [json.loads(line) for line in lines]
    for result in results:
        result["outputs"] = [np.frombuffer(bytes.fromhex(h), "<f4") for h in result["outputs"]]
    assert len(results) == len(jobs)
    return results


def check_fp32(outputs, net, images):
    for got, image in zip(outputs, images):
        want = net.forward(image)
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5 * max(1.0, np.abs(want).max()))


def check_int8(outputs, qnet, images):
    step = float(qnet.layers[-1]["out_scale"])
    for got, image in zip(outputs, images):
        want = qnet.forward(image)
        assert np.abs(np.asarray(got) - want).max() <= step * 1.01, (got, want)


# -- whole networks ------------------------------------------------------------------------

def test_mnist_shaped_network_fp32_and_int8(libdir, tmp_path):
    net = tw.example_network(seed=7)
    images = tw.random_images(12, net.input_shape, seed=11)
    qnet = net.quantize(images[:8])
    results = run_models(libdir, tmp_path, [
        ("mnist", "fp32", net.to_tmdl(), images),
        ("mnist", "int8", qnet.to_tmdl(), images),
    ])
    assert results[0]["dims"] == [10] and results[1]["dims"] == [10]
    check_fp32(results[0]["outputs"], net, images)
    check_int8(results[1]["outputs"], qnet, images)
    for probabilities in results[0]["outputs"] + results[1]["outputs"]:
        assert abs(sum(probabilities) - 1.0) < 0.05


def sharp_classifier(seed):
    """Large logits, so the softmax output is decisive and argmax is meaningful."""
    rng = np.random.default_rng(seed)
    net = tw.Network((16, 16, 3))
    net.conv2d(he(rng, 3, 3, 3, 12), rng.normal(0, 0.1, 12), strides=2, padding="same", activation="relu")
    net.depthwise_conv2d(he(rng, 3, 3, 12, 1), rng.normal(0, 0.1, 12), activation="relu")
    net.flatten()
    net.dense(he(rng, net.shape[0], 5, gain=4.0), rng.normal(0, 0.5, 5))
    net.softmax()
    return net


def test_int8_agrees_with_float_model(libdir, tmp_path):
    net = sharp_classifier(3)
    images = tw.random_images(16, net.input_shape, seed=4)
    qnet = net.quantize(images)
    (result,) = run_models(libdir, tmp_path, [("sharp", "int8", qnet.to_tmdl(), images)])
    got = np.array(result["outputs"])
    want = np.array([net.forward(im) for im in images])
    assert np.abs(got - want).max() < 0.1
    assert (got.argmax(axis=1) == want.argmax(axis=1)).mean() >= 0.8


# -- one layer type at a time ------------------------------------------------------------

def layer_cases():
    """name -> function(rng) building a small network that exercises one feature."""
    def conv(**kw):
        def build(rng):
            kernel = kw.pop("kernel", (3, 3))
            net = tw.Network(kw.pop("input", (9, 11, 3)))
            cout = kw.pop("cout", 5)
            net.conv2d(he(rng, *kernel, net.shape[2], cout, gain=kw.pop("gain", 1.0)),
                       rng.normal(0, 0.2, cout), **kw)
            return net
        return build

    def dwconv(mult, channels=4, **kw):
        def build(rng):
            net = tw.Network((10, 9, channels))
            kernel = kw.pop("kernel", (3, 3))
            net.depthwise_conv2d(he(rng, *kernel, channels, mult, gain=kw.pop("gain", 1.0)),
                                 rng.normal(0, 0.2, channels * mult), **kw)
            return net
        return build

    def after_conv(add_layers):
        def build(rng):
            net = tw.Network((10, 11, 2))
            net.conv2d(he(rng, 3, 3, 2, 6), rng.normal(0, 0.3, 6), padding="same")
            add_layers(net, rng)
            return net
        return build

    return {
        "conv_valid_relu": conv(activation="relu"),
        "conv_same_stride2": conv(strides=2, padding="same"),
        "conv_explicit_pad_rect_kernel": conv(kernel=(2, 3), strides=(1, 2), padding=(1, 2, 0, 1)),
        "conv_pointwise": conv(kernel=(1, 1), cout=7),
        "conv_dilation2": conv(dilation=2, padding="same"),
        "conv_relu6": conv(activation="relu6", gain=30.0),
        "conv_relu1": conv(activation="relu1", gain=5.0),
        "conv_5x5_same_stride3": conv(kernel=(5, 5), strides=3, padding="same", input=(13, 14, 2)),
        # 5*5*48 = 1200 values: past the gathered window (1 KiB) of both variants, so the
        # per-tap path, with padding.
        "conv_window_past_patch": conv(kernel=(5, 5), padding="same", input=(6, 7, 48), cout=3),
        "dwconv_same_relu6": dwconv(1, padding="same", activation="relu6", gain=30.0),
        "dwconv_mult3_stride2": dwconv(3, strides=2),
        "dwconv_rect_pad": dwconv(2, kernel=(3, 2), padding=(0, 2, 1, 1)),
        # 4 + 4 + 3 channels: two whole blocks of four (the kernel's fast path), then a narrower one
        "dwconv_11_channels_dilation2": dwconv(1, channels=11, dilation=2, padding="same"),
        "maxpool_2": after_conv(lambda net, rng: net.max_pool2d(2)),
        "maxpool_3_stride2_same": after_conv(lambda net, rng: net.max_pool2d(3, strides=2, padding="same")),
        "avgpool_2": after_conv(lambda net, rng: net.avg_pool2d(2)),
        "avgpool_3_same_relu": after_conv(lambda net, rng: net.avg_pool2d(3, strides=1, padding="same",
                                                                         activation="relu")),
        "global_average_pool": after_conv(lambda net, rng: net.global_average_pool()),
        "flatten_dense": after_conv(lambda net, rng: net.flatten().dense(
            he(rng, net.shape[0], 9), rng.normal(0, 0.2, 9))),
        "dense_relu_dense": after_conv(lambda net, rng: net.global_average_pool()
                                       .dense(he(rng, 6, 8), rng.normal(0, 0.2, 8), activation="relu")
                                       .dense(he(rng, 8, 4), rng.normal(0, 0.2, 4), activation="relu6")),
        "softmax_per_position": after_conv(lambda net, rng: net.softmax()),
        "reshape_to_rank2": after_conv(lambda net, rng: net.reshape((110, 6))),
    }


LAYER_CASES = layer_cases()


@pytest.fixture(scope="module")
def layer_results(libdir, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("layers")
    jobs, models = [], {}
    for i, (name, build) in enumerate(LAYER_CASES.items()):
        net = build(np.random.default_rng(100 + i))
        images = tw.random_images(4, net.input_shape, seed=i)
        qnet = net.quantize(images)
        models[name] = (net, qnet, images)
        jobs += [(name, "fp32", net.to_tmdl(), images), (name, "int8", qnet.to_tmdl(), images)]
    results = run_models(libdir, tmp_path, jobs)
    return {name: (models[name], results[2 * i], results[2 * i + 1])
            for i, name in enumerate(LAYER_CASES)}


@pytest.mark.parametrize("name", list(LAYER_CASES))
def test_layer_fp32(layer_results, name):
    (net, _, images), result, _ = layer_results[name]
    assert tuple(result["dims"]) == net.shape
    check_fp32(result["outputs"], net, images)


@pytest.mark.parametrize("name", list(LAYER_CASES))
def test_layer_int8(layer_results, name):
    (net, qnet, images), _, result = layer_results[name]
    assert tuple(result["dims"]) == net.shape
    check_int8(result["outputs"], qnet, images)


def test_relu6_clamps_in_fp32(layer_results):
    """TinyMaix's fp32 kernels treat ReLU6 as ReLU; the module clamps at 6."""
    (net, _, _), result, _ = layer_results["conv_relu6"]
    values = np.array(result["outputs"])
    assert values.max() == pytest.approx(6.0) and values.min() == 0.0


# -- API contract --------------------------------------------------------------------------

def small_model_bytes(variant):
    net = sharp_classifier(5)
    if variant == "fp32":
        return net, net.to_tmdl()
    return net, net.quantize(tw.random_images(4, net.input_shape)).to_tmdl()


@pytest.mark.parametrize("variant", ["fp32", "int8"])
def test_argument_checks(libdir, tmp_path, variant):
    net, data = small_model_bytes(variant)
    (tmp_path / "m.tmdl").write_bytes(data)
    n_in = int(np.prod(net.input_shape))
    script = f"""
import array, json, emlearn_cnn_{variant} as cnn
m = cnn.new(open('{tmp_path}/m.tmdl', 'rb').read())
good_in = array.array('B', bytes({n_in}))
good_out = array.array('f', bytes(4 * 5))
cases = {{
    'input_typecode_b': (array.array('b', bytes({n_in})), good_out),
    'input_typecode_f': (array.array('f', bytes(4 * {n_in})), good_out),
    'input_short': (array.array('B', bytes({n_in} - 1)), good_out),
    'input_long': (array.array('B', bytes({n_in} + 1)), good_out),
    'output_typecode_d': (good_in, array.array('d', bytes(8 * 5))),
    'output_typecode_B': (good_in, array.array('B', bytes(20))),
    'output_short': (good_in, array.array('f', bytes(16))),
    'output_long': (good_in, array.array('f', bytes(24))),
}}
errors = {{}}
for name, (i, o) in cases.items():
    try:
        m.run(i, o)
        errors[name] = None
    except (ValueError, TypeError) as e:
        errors[name] = type(e).__name__
try:
    m.run(good_in, None)
except TypeError as e:
    errors['output_none'] = 'TypeError'
m.run(good_in, good_out)
errors['alive'] = sum(good_out)
print(json.dumps(errors))
"""
    result = run_micropython_json(script, libdir)
    assert result.pop("alive") == pytest.approx(1.0, abs=0.02)
    assert all(v in ("ValueError", "TypeError") for v in result.values()), result


@pytest.mark.parametrize("variant", ["fp32", "int8"])
def test_model_data_is_copied_and_memory_returned(libdir, tmp_path, variant):
    net, data = small_model_bytes(variant)
    (tmp_path / "m.tmdl").write_bytes(data)
    n_in = int(np.prod(net.input_shape))
    script = f"""
import array, gc, json, emlearn_cnn_{variant} as cnn
pixels = array.array('B', (i * 7 % 256 for i in range({n_in})))
buf = bytearray(open('{tmp_path}/m.tmdl', 'rb').read())
m = cnn.new(buf)
a = array.array('f', bytes(20))
m.run(pixels, a)
for i in range(len(buf)):
    buf[i] = 0xff
del buf
gc.collect()
b = array.array('f', bytes(20))
m.run(pixels, b)
same = list(a) == list(b)
del m
gc.collect()
data = open('{tmp_path}/m.tmdl', 'rb').read()
gc.collect()
before = gc.mem_free()
for _ in range(20):
    m = cnn.new(data)
    m.run(pixels, b)
    del m
    gc.collect()
after = gc.mem_free()
print(json.dumps({{'same': same, 'leak': before - after, 'model': len(data)}}))
"""
    result = run_micropython_json(script, libdir)
    assert result["same"]
    assert result["leak"] < result["model"]  # 20 models made and freed: nothing accumulates


def test_output_dimensions_shapes(libdir, tmp_path):
    rng = np.random.default_rng(1)
    conv_only = tw.Network((6, 7, 1)).conv2d(he(rng, 3, 3, 1, 2), padding="same")
    rank2 = tw.Network((4, 4, 1)).flatten().reshape((8, 2))
    results = run_models(libdir, tmp_path, [
        ("conv_only", "fp32", conv_only.to_tmdl(), tw.random_images(1, (6, 7, 1))),
        ("rank2", "fp32", rank2.to_tmdl(), tw.random_images(1, (4, 4, 1))),
    ])
    assert results[0]["dims"] == [6, 7, 2]
    assert results[1]["dims"] == [8, 2]


# -- malformed models ----------------------------------------------------------------------

LOAD_ALL = """
import json, emlearn_cnn_%(variant)s as cnn
f = open('%(path)s', 'rb')
outcome = []
for i in range(%(count)d):
    blob = f.read(%(size)d).rstrip(b'\\xa5')  # one at a time: the unix-port heap is small
    try:
        cnn.new(blob)
        outcome.append('loaded')
    except ValueError as e:
        outcome.append('ValueError')
print(json.dumps(outcome))
"""


def load_all(libdir, tmp_path, variant, blobs):
    """Tries new() on every blob in one VM; returns 'loaded' / 'ValueError' per blob.
    Blobs are stored padded to one size with 0xa5, stripped again in the VM."""
    size = max(len(b) for b in blobs) + 1
    path = tmp_path / f"blobs_{variant}.bin"
    path.write_bytes(b"".join(b + b"\xa5" * (size - len(b)) for b in blobs))
    script = LOAD_ALL % {"variant": variant, "path": path, "size": size, "count": len(blobs)}
    return run_micropython_json(script, libdir)


def patched(data, offset, fmt, value):
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


def malformed_variants(data):
    """name -> corrupted copy of a valid model. None of them ends in 0xa5 (see load_all)."""
    model = tw.read_tmdl(data)
    conv = model["layers"][0]["offset"]
    second = model["layers"][1]["offset"]
    last = model["layers"][-1]["offset"]
    other_type = tw.MODEL_FP32 if model["mdl_type"] == tw.MODEL_INT8 else tw.MODEL_INT8
    cases = {
        "empty": b"",
        "header_only": data[:64],
        "bad_magic": b"TMDL" + data[4:],
        "other_variant_type": patched(data, 4, "<B", other_type),
        "int16_type": patched(data, 4, "<B", 1),
        "two_inputs": patched(data, 6, "<H", 2),
        "zero_layers": patched(data, 10, "<H", 0),
        "too_many_layers": patched(data, 10, "<H", 60000),
        "one_layer_missing": patched(data, 10, "<H", model["layer_count"] + 1),
        "trailing_garbage": data + b"\x00" * 8,
        "buf_size_too_small": patched(data, 12, "<I", 16),
        "input_rank_0": patched(data, 20, "<H", 0),
        "input_rank_4": patched(data, 20, "<H", 4),
        "input_dims_huge": patched(patched(patched(data, 22, "<H", 65535), 24, "<H", 65535), 26, "<H", 65535),
        "input_dim_zero": patched(data, 22, "<H", 0),
        "unknown_layer_type": patched(data, conv, "<H", 42),
        "unknown_layer_type_7": patched(data, conv, "<H", 7),
        "layer_size_unaligned": patched(data, conv + 4, "<I", model["layers"][0]["size"] + 4),
        "layer_size_huge": patched(data, conv + 4, "<I", 0xFFFFFFF8),
        "layer_size_small": patched(data, conv + 4, "<I", 8),
        "in_offset_outside_arena": patched(data, conv + 8, "<I", 0xFFFFFF00),
        "out_offset_outside_arena": patched(data, conv + 12, "<I", model["buf_size"]),
        "shape_chain_broken": patched(data, second + 22, "<H", model["layers"][1]["in_dims"][3] + 1),
        "conv_out_shape_wrong": patched(data, conv + 26, "<H", model["layers"][0]["out_dims"][1] + 1),
        "layer_dims_huge": patched(patched(data, second + 26, "<H", 65535), second + 28, "<H", 65535),
        "conv_kernel_zero": patched(data, conv + 48, "<B", 0),
        "conv_stride_zero": patched(data, conv + 50, "<B", 0),
        "conv_dilation_zero": patched(data, conv + 52, "<B", 0),
        "conv_bad_activation": patched(data, conv + 54, "<H", 9),
        "conv_depth_multiplier": patched(data, conv + 60, "<I", 2),
        "conv_weights_past_layer": patched(data, conv + 72, "<I", 0xFFFFFFF0),
        "conv_bias_past_layer": patched(data, conv + 76, "<I", model["layers"][0]["size"]),
        "conv_bias_misaligned": patched(data, conv + 76, "<I", struct.unpack_from("<I", data, conv + 76)[0] + 1),
        "conv_weights_in_header": patched(data, conv + 72, "<I", 8),
        "dw_as_conv_with_multiplier": patched(data, second, "<H", tw.LAYER_CONV2D),
        "last_layer_type_fc": patched(data, last, "<H", tw.LAYER_FC),
        "two_outputs": patched(data, conv + 2, "<H", 1),
    }
    if model["mdl_type"] == tw.MODEL_INT8:
        cases.update({
            "scale_zero": patched(data, conv + 32, "<f", 0.0),
            "scale_nan": patched(data, conv + 40, "<f", float("nan")),
            "scale_inf": patched(data, conv + 40, "<f", float("inf")),
            "scale_negative": patched(data, second + 32, "<f", -1.0),
            "zero_point_300": patched(data, conv + 44, "<i", 300),
            "conv_scales_past_layer": patched(data, conv + 68, "<I", 0xFFFFFFF0),
        })
    return cases


@pytest.mark.parametrize("variant", ["fp32", "int8"])
def test_malformed_models_raise_value_error(libdir, tmp_path, variant):
    _, data = small_model_bytes(variant)
    cases = malformed_variants(data)
    assert not any(blob.endswith(b"\xa5") for blob in cases.values())
    outcome = load_all(libdir, tmp_path, variant, [data] + list(cases.values()))
    assert outcome[0] == "loaded"
    failed = {name: result for name, result in zip(cases, outcome[1:]) if result != "ValueError"}
    assert not failed


@pytest.mark.parametrize("variant, largest", [("fp32", 8), ("int8", 16)])
def test_depthwise_kernel_size_limit(libdir, tmp_path, variant, largest):
    # The kernel's weights are reordered at load through a 1 KiB buffer, four channels at a time:
    # up to 8x8 taps for fp32, 16x16 for int8 (TinyMaix itself stops at 5x5).
    blobs = []
    for k in (largest, largest + 1):
        net = tw.Network((k, k, 4))
        net.depthwise_conv2d(he(np.random.default_rng(k), k, k, 4, 1), np.zeros(4))
        net.dense(he(np.random.default_rng(1), 4, 3))
        images = tw.random_images(2, net.input_shape, seed=k)
        blobs.append(net.to_tmdl() if variant == "fp32" else net.quantize(images).to_tmdl())
    assert load_all(libdir, tmp_path, variant, blobs) == ["loaded", "ValueError"]


@pytest.mark.parametrize("variant", ["fp32", "int8"])
def test_truncated_models_raise_value_error(libdir, tmp_path, variant):
    _, data = small_model_bytes(variant)
    # Every length up to the first layers, then every 8 bytes and a few odd ones.
    lengths = sorted(set(range(0, 200)) | set(range(200, len(data), 8)) | set(range(201, len(data), 37)))
    blobs = [data[:n].rstrip(b"\xa5") for n in lengths]
    outcome = load_all(libdir, tmp_path, variant, blobs)
    assert outcome == ["ValueError"] * len(blobs)


@pytest.mark.parametrize("variant", ["fp32", "int8"])
def test_other_variant_file_is_rejected(libdir, tmp_path, variant):
    other = "int8" if variant == "fp32" else "fp32"
    _, data = small_model_bytes(other)
    (tmp_path / "m.tmdl").write_bytes(data)
    script = f"""
import emlearn_cnn_{variant} as cnn
try:
    cnn.new(open('{tmp_path}/m.tmdl', 'rb').read())
    print('loaded')
except ValueError as e:
    print('ValueError', e)
"""
    out = run_micropython(script, libdir).stdout
    assert out.startswith("ValueError") and other in out


FUZZ = """
import array, emlearn_cnn_%(variant)s as cnn
f = open('%(path)s', 'rb')
pixels = array.array('B', bytes(%(n_in)d))
loaded = rejected = 0
for i in range(%(count)d):
    blob = f.read(%(size)d)
    try:
        m = cnn.new(blob)
    except ValueError:
        rejected += 1
        continue
    loaded += 1
    dims = m.output_dimensions()
    size = 1
    for d in dims:
        size *= d
    m.run(pixels, array.array('f', bytes(4 * size)))
print(loaded, rejected)
"""


@pytest.mark.parametrize("variant", ["fp32", "int8"])
def test_random_corruption_never_crashes(libdir, tmp_path, variant):
    """Random byte changes in the headers: each model either loads and runs, or raises
    ValueError. Never a crash."""
    net, data = small_model_bytes(variant)
    model = tw.read_tmdl(data)
    header_bytes = list(range(64))
    for layer in model["layers"]:
        header_bytes += range(layer["offset"], layer["offset"] + min(layer["size"], 80))
    rng = np.random.default_rng(99)
    blobs = []
    for _ in range(300):
        blob = bytearray(data)
        for _ in range(rng.integers(1, 4)):
            blob[rng.choice(header_bytes)] = rng.integers(0, 256)
        blobs.append(bytes(blob))
    path = tmp_path / "fuzz.bin"
    path.write_bytes(b"".join(blobs))
    script = FUZZ % {"variant": variant, "path": path, "count": len(blobs), "size": len(data),
                     "n_in": int(np.prod(net.input_shape))}
    proc = run_micropython(script, libdir, timeout=300)
    loaded, rejected = map(int, proc.stdout.split())
    assert loaded + rejected == len(blobs) and rejected > 100
