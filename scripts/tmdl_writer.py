"""Write TinyMaix .tmdl models from numpy weights, and run them with numpy.

A host-side companion to the emlearn_cnn_fp32 / emlearn_cnn_int8 native modules:
tests and benchmarks build their own models with it, and its numpy forward passes are
the reference the modules are checked against.

    net = Network((28, 28, 1))
    net.conv2d(w, b, strides=2, activation="relu")      # w: (kh, kw, cin, cout), Keras layout
    net.max_pool2d(2)
    net.depthwise_conv2d(dw, db, padding="same")        # dw: (kh, kw, cin, multiplier)
    net.global_average_pool()
    net.dense(fw, fb)                                   # fw: (n_in, n_out)
    net.softmax()
    fp32_bytes = net.to_tmdl()                          # float model
    probs = net.forward(pixels)                         # float reference, pixels uint8 HxWxC
    q = net.quantize(calibration_pixels)                # int8 model
    int8_bytes = q.to_tmdl()
    probs8 = q.forward(pixels)                          # bit-level simulation of the int8 kernel

The layout is TinyMaix's (tools/tflite2tmdl.py in sipeed/TinyMaix): 64-byte model header,
48-byte layer headers, weights [cout][cin][kh][kw], 8-byte alignment, the converter's
ping-pong arena offsets. Two mpyforge extensions, which upstream TinyMaix cannot read:
max/avg pooling layers (types 100/101) and an activation in the fc layer's reserved word.
See docs/kernels-cnn.md.

CLI:
    python scripts/tmdl_writer.py example --dtype int8 --out mnist_like.tmdl
    python scripts/tmdl_writer.py describe model.tmdl
"""

import argparse
import struct
import sys

import numpy as np

MODEL_INT8 = 0
MODEL_FP32 = 2

LAYER_CONV2D = 0
LAYER_GAP = 1
LAYER_FC = 2
LAYER_SOFTMAX = 3
LAYER_RESHAPE = 4
LAYER_DWCONV2D = 5
LAYER_ADD = 6
LAYER_MAXPOOL2D = 100  # mpyforge extension
LAYER_AVGPOOL2D = 101  # mpyforge extension

ACTIVATIONS = {None: 0, "none": 0, "relu": 1, "relu1": 2, "relu6": 3}

HEADER_SIZE = 64
LAYER_HEADER_SIZE = 48

F32 = np.float32


def align8(n):
    return (n + 7) // 8 * 8


def shape_to_dims(shape):
    """(c,) -> [1, 1, 1, c]; (w, c) -> [2, 1, w, c]; (h, w, c) -> [3, h, w, c]."""
    shape = tuple(int(s) for s in shape)
    return [len(shape)] + [1] * (3 - len(shape)) + list(shape)


def _pair(v):
    return (int(v), int(v)) if np.isscalar(v) else (int(v[0]), int(v[1]))


def _padding(padding, in_hw, kernel, strides, dilation):
    """Explicit (top, bottom, left, right) padding, computed for 'same' as TinyMaix does."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding != "same":
            raise ValueError(f"padding must be 'valid', 'same' or (t, b, l, r), not {padding!r}")
        pads = []
        for size, k, s, d in zip(in_hw, kernel, strides, dilation):
            extent = d * (k - 1) + 1
            total = max(extent + (size - 1) // s * s - size, 0)
            pads += [total // 2, total - total // 2]
        return tuple(pads)
    return tuple(int(p) for p in padding)


def _window_output(size, before, after, k, s, d):
    extent = d * (k - 1) + 1
    if size + before + after < extent:
        raise ValueError("window larger than the padded input")
    return (size + before + after - extent) // s + 1


class Layer:
    """One layer of a float network: kind, shapes, parameters and float weights."""

    def __init__(self, kind, in_shape, out_shape, **params):
        self.kind = kind
        self.in_shape = tuple(in_shape)
        self.out_shape = tuple(out_shape)
        self.__dict__.update(params)


class Network:
    """A float CNN with a single chain of layers, built layer by layer."""

    def __init__(self, input_shape):
        self.input_shape = tuple(int(s) for s in input_shape)
        if len(self.input_shape) != 3:
            raise ValueError("input shape is (h, w, c)")
        self.layers = []

    @property
    def shape(self):
        return self.layers[-1].out_shape if self.layers else self.input_shape

    def _add(self, layer):
        self.layers.append(layer)
        return self

    def _window(self, kind, kernel, strides, padding, dilation, activation, **params):
        h, w, c = self.shape
        kernel, strides, dilation = _pair(kernel), _pair(strides), _pair(dilation)
        pad = _padding(padding, (h, w), kernel, strides, dilation)
        oh = _window_output(h, pad[0], pad[1], kernel[0], strides[0], dilation[0])
        ow = _window_output(w, pad[2], pad[3], kernel[1], strides[1], dilation[1])
        out_c = params.pop("out_c", c)
        return Layer(kind, (h, w, c), (oh, ow, out_c), kernel=kernel, strides=strides, pad=pad,
                     dilation=dilation, act=ACTIVATIONS[activation], **params)

    def conv2d(self, weights, bias=None, strides=1, padding="valid", activation=None, dilation=1):
        """weights: (kh, kw, cin, cout) as in Keras."""
        weights = np.asarray(weights, dtype=F32)
        kh, kw, cin, cout = weights.shape
        if cin != self.shape[2]:
            raise ValueError("conv2d input channels do not match")
        bias = np.zeros(cout, F32) if bias is None else np.asarray(bias, dtype=F32)
        return self._add(self._window("conv2d", (kh, kw), strides, padding, dilation, activation,
                                      weights=weights, bias=bias, out_c=cout))

    def depthwise_conv2d(self, weights, bias=None, strides=1, padding="valid", activation=None,
                         dilation=1):
        """weights: (kh, kw, cin, multiplier) as in Keras; output channel = cin*mult + m."""
        weights = np.asarray(weights, dtype=F32)
        kh, kw, cin, mult = weights.shape
        if cin != self.shape[2]:
            raise ValueError("depthwise input channels do not match")
        bias = np.zeros(cin * mult, F32) if bias is None else np.asarray(bias, dtype=F32)
        return self._add(self._window("dwconv2d", (kh, kw), strides, padding, dilation, activation,
                                      weights=weights, bias=bias, multiplier=mult, out_c=cin * mult))

    def max_pool2d(self, pool_size=2, strides=None, padding="valid", activation=None):
        return self._add(self._window("maxpool2d", pool_size, strides or pool_size, padding, 1,
                                      activation))

    def avg_pool2d(self, pool_size=2, strides=None, padding="valid", activation=None):
        return self._add(self._window("avgpool2d", pool_size, strides or pool_size, padding, 1,
                                      activation))

    def global_average_pool(self):
        h, w, c = self.shape
        return self._add(Layer("gap", (h, w, c), (c,)))

    def reshape(self, shape):
        shape = tuple(int(s) for s in shape)
        if int(np.prod(shape)) != int(np.prod(self.shape)):
            raise ValueError("reshape changes the element count")
        return self._add(Layer("reshape", self.shape, shape))

    def flatten(self):
        return self.reshape((int(np.prod(self.shape)),))

    def dense(self, weights, bias=None, activation=None):
        """weights: (n_in, n_out) as in Keras. The input must be flat (use flatten())."""
        weights = np.asarray(weights, dtype=F32)
        n_in, n_out = weights.shape
        if n_in != int(np.prod(self.shape)):
            raise ValueError("dense input size does not match")
        bias = np.zeros(n_out, F32) if bias is None else np.asarray(bias, dtype=F32)
        return self._add(Layer("fc", self.shape, (n_out,), weights=weights, bias=bias,
                               act=ACTIVATIONS[activation]))

    def softmax(self):
        return self._add(Layer("softmax", self.shape, self.shape))

    # -- float reference --------------------------------------------------------------

    def forward(self, pixels, return_all=False):
        """Float32 forward pass from uint8 pixels (HxWxC), scaled x/255 as the module does."""
        x = np.asarray(pixels, dtype=np.uint8).reshape(self.input_shape).astype(F32) / F32(255)
        outputs = []
        for layer in self.layers:
            x = _float_layer(layer, x)
            outputs.append(x)
        return outputs if return_all else x.reshape(-1)

    def to_tmdl(self):
        """The float model as .tmdl bytes (mdl_type 2)."""
        return _pack_model(self, None)

    def quantize(self, calibration_pixels):
        """An int8 model, activation ranges measured on calibration images (N x H x W x C uint8)."""
        return QuantizedNetwork(self, calibration_pixels)


def _activate(x, act):
    if act == 1:
        return np.maximum(x, F32(0))
    if act == 2:
        return np.clip(x, F32(-1), F32(1))
    if act == 3:
        return np.clip(x, F32(0), F32(6))
    return x


def _patches(x, layer):
    """Yields (ky, kx, patch): the input values under kernel tap (ky, kx) for every output
    position, from x already padded. patch has shape (out_h, out_w, c)."""
    (kh, kw), (sh, sw), (dh, dw) = layer.kernel, layer.strides, layer.dilation
    oh, ow = layer.out_shape[:2]
    for ky in range(kh):
        for kx in range(kw):
            y0, x0 = ky * dh, kx * dw
            yield ky, kx, x[y0:y0 + sh * (oh - 1) + 1:sh, x0:x0 + sw * (ow - 1) + 1:sw, :]


def _pad(x, layer, value):
    t, b, l, r = layer.pad
    return np.pad(x, ((t, b), (l, r), (0, 0)), constant_values=value)


def _float_layer(layer, x):
    kind = layer.kind
    if kind == "conv2d":
        out = np.zeros(layer.out_shape, F32)
        for ky, kx, patch in _patches(_pad(x, layer, 0), layer):
            out += patch @ layer.weights[ky, kx]
        return _activate(out + layer.bias, layer.act)
    if kind == "dwconv2d":
        out = np.zeros(layer.out_shape, F32)
        w = layer.weights.reshape(layer.weights.shape[0], layer.weights.shape[1], -1)
        for ky, kx, patch in _patches(_pad(x, layer, 0), layer):
            out += np.repeat(patch, layer.multiplier, axis=2) * w[ky, kx]
        return _activate(out + layer.bias, layer.act)
    if kind in ("maxpool2d", "avgpool2d"):
        values, mask = _pool_windows(x, layer)
        count = mask.sum(axis=0)
        if kind == "maxpool2d":
            out = np.where(mask, values, F32(-np.inf)).max(axis=0)
        else:
            out = np.where(mask, values, 0).sum(axis=0, dtype=F32) / np.maximum(count, 1).astype(F32)
        return _activate(np.where(count > 0, out, F32(0)).astype(F32), layer.act)
    if kind == "gap":
        return x.reshape(-1, x.shape[-1]).mean(axis=0, dtype=F32)
    if kind == "reshape":
        return x.reshape(layer.out_shape)
    if kind == "fc":
        return _activate(x.reshape(-1) @ layer.weights + layer.bias, layer.act)
    if kind == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return (e / e.sum(axis=-1, keepdims=True)).astype(F32)
    raise ValueError(kind)


def _pool_windows(x, layer):
    """Window values and a mask of real (unpadded) positions, stacked on axis 0."""
    padded = _pad(x, layer, 0)
    mask = _pad(np.ones(x.shape, bool), layer, False)
    values = np.stack([p for _, _, p in _patches(padded, layer)])
    masks = np.stack([p for _, _, p in _patches(mask, layer)])
    return values, masks


# -- int8 ------------------------------------------------------------------------------

def _quant_params(lo, hi):
    """Asymmetric int8 parameters covering [lo, hi] and 0 (real = s * (q - zp))."""
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    scale = (hi - lo) / 255.0 if hi > lo else 1.0 / 255.0
    zero = int(np.clip(np.round(-128 - lo / scale), -128, 127))
    return F32(scale), zero


def quantize_value(real, scale, zero):
    """The module's requantisation, in float32: real / scale + zero + 128.5, clamped to [0, 255]
    (saturation) and truncated (so the quantised value is rounded half up), minus 128."""
    v = np.asarray(real, dtype=F32) * (F32(1) / F32(scale)) + F32(zero + 128.5)
    v = np.where(np.isnan(v), F32(0), v)
    return (np.trunc(np.clip(v, F32(0), F32(255))) - 128).astype(np.int8)


def dequantize_value(q, scale, zero):
    return (np.asarray(q, dtype=np.int32) - zero).astype(F32) * F32(scale)


class QuantizedNetwork:
    """Per-tensor int8 activations, per-channel int8 conv weights, per-tensor fc weights,
    int32 biases with the input zero point folded in: what TinyMaix's converter writes."""

    def __init__(self, network, calibration_pixels):
        self.network = network
        self.input_shape = network.input_shape
        calibration = np.asarray(calibration_pixels, dtype=np.uint8).reshape((-1,) + self.input_shape)
        ranges = [[np.inf, -np.inf] for _ in network.layers]
        for image in calibration:
            for r, out in zip(ranges, network.forward(image, return_all=True)):
                r[0], r[1] = min(r[0], float(out.min())), max(r[1], float(out.max()))
        # Pixels are x/255 in [0, 1]: scale 1/255, zero point -128, so q = x - 128.
        in_scale, in_zero = F32(1 / 255), -128
        self.input_quant = (in_scale, in_zero)
        self.layers = []
        for layer, (lo, hi) in zip(network.layers, ranges):
            q = {"in_scale": in_scale, "in_zero": in_zero}
            if layer.kind in ("maxpool2d", "avgpool2d", "reshape"):
                out_scale, out_zero = in_scale, in_zero
            elif layer.kind == "softmax":
                out_scale, out_zero = F32(1 / 256), -128
            else:
                out_scale, out_zero = _quant_params(lo, hi)
            q.update(out_scale=out_scale, out_zero=out_zero)
            if layer.kind in ("conv2d", "dwconv2d", "fc"):
                q.update(self._quantize_weights(layer, in_scale, in_zero))
            self.layers.append(q)
            in_scale, in_zero = out_scale, out_zero

    @staticmethod
    def _quantize_weights(layer, in_scale, in_zero):
        w = _weights_cout_first(layer)  # (cout, ...) in file order
        flat = w.reshape(w.shape[0], -1)
        if layer.kind == "fc":  # TinyMaix uses one scale for the whole fc layer
            scales = np.full(flat.shape[0], np.abs(flat).max() / 127.0)
        else:
            scales = np.abs(flat).max(axis=1) / 127.0
        scales = np.where(scales > 0, scales, 1.0).astype(F32)
        wq = np.clip(np.round(flat / scales[:, None]), -127, 127).astype(np.int8)
        bias = np.round(layer.bias.astype(np.float64) / (scales.astype(np.float64) * float(in_scale)))
        bias = bias - in_zero * wq.astype(np.int64).sum(axis=1)
        bias = np.clip(bias, -2**31, 2**31 - 1).astype(np.int32)
        return {"w_scales": scales, "wq": wq.reshape(w.shape), "bq": bias}

    def to_tmdl(self, out_dequant=1):
        """The int8 model as .tmdl bytes (mdl_type 0)."""
        return _pack_model(self.network, self.layers, out_dequant)

    def forward(self, pixels, return_all=False):
        """Simulates the int8 module: returns dequantised float outputs."""
        x = np.asarray(pixels, dtype=np.uint8).reshape(self.input_shape)
        q = quantize_value(x.astype(F32) / F32(255), *self.input_quant)
        outputs = []
        for layer, params in zip(self.network.layers, self.layers):
            q = _int8_layer(layer, params, q)
            outputs.append(q)
        if return_all:
            return outputs
        last = self.layers[-1]
        return dequantize_value(q, last["out_scale"], last["out_zero"]).reshape(-1)


def _int8_layer(layer, p, q):
    kind = layer.kind
    in_s, in_zp, out_s, out_zp = p["in_scale"], p["in_zero"], p["out_scale"], p["out_zero"]
    if kind in ("conv2d", "dwconv2d", "fc"):
        if kind == "fc":
            acc = q.reshape(-1).astype(np.int64) @ p["wq"].astype(np.int64).T
            scale = np.full(acc.shape, F32(p["w_scales"][0]) * F32(in_s), F32)
        else:
            acc = np.zeros(layer.out_shape, np.int64)
            padded = _pad(q.astype(np.int64), layer, in_zp)
            w = _taps_last(layer, p["wq"].astype(np.int64))  # (kh, kw, cin, cout) or (kh, kw, cout)
            for ky, kx, patch in _patches(padded, layer):
                if kind == "conv2d":
                    acc += patch @ w[ky, kx]
                else:
                    acc += np.repeat(patch, layer.multiplier, axis=2) * w[ky, kx]
            scale = (p["w_scales"] * F32(in_s)).astype(F32)
        bias = np.clip(p["bq"].astype(np.int64), -2**30, 2**30)  # the module's overflow guard
        real = (acc + bias).astype(F32) * scale
        return quantize_value(_activate(real, layer.act), out_s, out_zp)
    if kind in ("maxpool2d", "avgpool2d"):
        values, mask = _pool_windows(q.astype(np.int32), layer)
        count = mask.sum(axis=0)
        safe = np.maximum(count, 1).astype(F32)
        if kind == "maxpool2d":
            best = np.where(mask, values, -1000).max(axis=0)
            real = (best - in_zp).astype(F32) * F32(in_s)
        else:
            total = np.where(mask, values, 0).sum(axis=0).astype(F32)
            real = (total / safe - F32(in_zp)) * F32(in_s)
        real = np.where(count > 0, real, F32(0)).astype(F32)
        return quantize_value(_activate(real, layer.act), out_s, out_zp)
    if kind == "gap":
        total = q.reshape(-1, q.shape[-1]).astype(np.int64).sum(axis=0).astype(F32)
        mean = total / F32(q.shape[0] * q.shape[1])
        return quantize_value((mean - F32(in_zp)) * F32(in_s), out_s, out_zp)
    if kind == "reshape":
        return q.reshape(layer.out_shape)
    if kind == "softmax":
        real = dequantize_value(q, in_s, in_zp)
        e = np.exp(real - real.max(axis=-1, keepdims=True)).astype(F32)
        total = e.sum(axis=-1, keepdims=True, dtype=F32)
        return quantize_value(e * (F32(1) / total), out_s, out_zp)
    raise ValueError(kind)


def _weights_cout_first(layer):
    """Weights in TinyMaix file order: conv (cout, cin, kh, kw); depthwise (cout, kh, kw);
    fc (cout, cin)."""
    if layer.kind == "conv2d":
        return layer.weights.transpose(3, 2, 0, 1)
    if layer.kind == "dwconv2d":
        kh, kw = layer.weights.shape[:2]
        return layer.weights.reshape(kh, kw, -1).transpose(2, 0, 1)
    return layer.weights.T


def _taps_last(layer, w):
    """Inverse of _weights_cout_first for conv layers: kernel taps first."""
    if layer.kind == "conv2d":
        return w.transpose(2, 3, 1, 0)
    return w.transpose(1, 2, 0)


# -- packing ---------------------------------------------------------------------------

_KIND_TO_TYPE = {"conv2d": LAYER_CONV2D, "dwconv2d": LAYER_DWCONV2D, "fc": LAYER_FC,
                 "gap": LAYER_GAP, "softmax": LAYER_SOFTMAX, "reshape": LAYER_RESHAPE,
                 "maxpool2d": LAYER_MAXPOOL2D, "avgpool2d": LAYER_AVGPOOL2D}


def _arena_layout(network, is_int8, out_dequant):
    """TinyMaix converter's ping-pong arena: input at 0, outputs alternating between the
    top of the arena and 0; softmax and a dequantised output reserve float room."""
    unit = 1 if is_int8 else 4
    layers = network.layers
    n = len(layers)

    def sizes(i, layer):
        in_count, out_count = int(np.prod(layer.in_shape)), int(np.prod(layer.out_shape))
        is_output = i == n - 1
        if is_int8 and is_output and out_dequant:
            out_size = align8(out_count * unit) + align8(out_count * 4)
        elif layer.kind == "softmax":
            out_size = align8(out_count * 4)
        else:
            out_size = align8(out_count * unit)
        need = align8(in_count * unit) + out_size
        if layer.kind == "reshape":
            need -= align8(in_count * unit)  # in place
        return out_size, need

    buf_size = max(sizes(i, layer)[1] for i, layer in enumerate(layers))
    offsets, out_oft = [], 0
    for i, layer in enumerate(layers):
        out_size = sizes(i, layer)[0]
        in_oft = out_oft
        if layer.kind != "reshape":
            out_oft = 0 if out_oft != 0 else buf_size - out_size
        offsets.append((in_oft, out_oft))
    return buf_size, offsets


def _pack_window(layer):
    t, b, l, r = layer.pad
    (kh, kw), (sh, sw), (dh, dw) = layer.kernel, layer.strides, layer.dilation
    return struct.pack("<6BH4B", kw, kh, sw, sh, dw, dh, layer.act, t, b, l, r)


def _pad8(blob):
    return blob + bytes(align8(len(blob)) - len(blob))


def _pack_body(layer, q):
    """Layer body after the 48-byte header; offsets count from the layer start."""
    kind = layer.kind
    if kind in ("maxpool2d", "avgpool2d"):
        return _pack_window(layer) + bytes(4)
    if kind not in ("conv2d", "dwconv2d", "fc"):
        return b""
    is_int8 = q is not None
    cout = layer.out_shape[-1]
    if is_int8:
        weights = q["wq"].astype(np.int8).tobytes()
        bias = q["bq"].astype("<i4").tobytes()
        scales = (q["w_scales"][:1] if kind == "fc" else q["w_scales"]).astype("<f4").tobytes()
        scales_blob = scales + bytes(align8(cout * 4) - len(scales))
    else:
        weights = _weights_cout_first(layer).astype("<f4").tobytes()
        bias = layer.bias.astype("<f4").tobytes()
        scales_blob = b""
    if kind == "fc":
        fixed = LAYER_HEADER_SIZE + 16
        ws_oft = fixed
        w_oft = ws_oft + len(scales_blob)
        b_oft = w_oft + align8(len(weights))
        head = struct.pack("<4I", ws_oft, w_oft, b_oft, layer.act)
    else:
        fixed = LAYER_HEADER_SIZE + 32
        ws_oft = fixed
        w_oft = ws_oft + len(scales_blob)
        b_oft = w_oft + align8(len(weights))
        depth_mul = layer.multiplier if kind == "dwconv2d" else 0
        head = _pack_window(layer) + struct.pack("<5I", depth_mul, 0, ws_oft, w_oft, b_oft)
    return head + scales_blob + _pad8(weights) + _pad8(bias)


def _pack_model(network, quant, out_dequant=1):
    if not network.layers:
        raise ValueError("network has no layers")
    is_int8 = quant is not None
    buf_size, offsets = _arena_layout(network, is_int8, out_dequant)
    out_shape = network.layers[-1].out_shape
    head = b"MAIX" + struct.pack("<BBHHHII", MODEL_INT8 if is_int8 else MODEL_FP32,
                                 out_dequant, 1, 1, len(network.layers), buf_size, 0)
    head += struct.pack("<4H", *shape_to_dims(network.input_shape))
    head += struct.pack("<4H", *shape_to_dims(out_shape)) + bytes(28)
    assert len(head) == HEADER_SIZE
    blobs = [head]
    for i, layer in enumerate(network.layers):
        q = quant[i] if is_int8 else None
        body = _pack_body(layer, q)
        in_oft, out_oft = offsets[i]
        header = struct.pack("<HHIII", _KIND_TO_TYPE[layer.kind], int(i == len(network.layers) - 1),
                             LAYER_HEADER_SIZE + len(body), in_oft, out_oft)
        header += struct.pack("<4H", *shape_to_dims(layer.in_shape))
        header += struct.pack("<4H", *shape_to_dims(layer.out_shape))
        if is_int8:
            header += struct.pack("<fifi", q["in_scale"], q["in_zero"], q["out_scale"], q["out_zero"])
        else:
            header += struct.pack("<ffff", 1.0, 0.0, 1.0, 0.0)
        assert len(header) == LAYER_HEADER_SIZE and len(body) % 8 == 0
        blobs += [header, body]
    return b"".join(blobs)


# -- reading ---------------------------------------------------------------------------

def read_tmdl(data):
    """Header fields and per-layer headers of a .tmdl, with each layer's byte offset
    ('offset') in the file: for tests that corrupt specific fields."""
    data = bytes(data)
    magic, mdl_type, out_deq, n_in, n_out, n_layers, buf_size, sub_size = struct.unpack_from(
        "<4sBBHHHII", data, 0)
    model = {"magic": magic, "mdl_type": mdl_type, "out_dequant": out_deq, "input_count": n_in,
             "output_count": n_out, "layer_count": n_layers, "buf_size": buf_size,
             "sub_size": sub_size, "in_dims": struct.unpack_from("<4H", data, 20),
             "out_dims": struct.unpack_from("<4H", data, 28), "layers": []}
    zero = "i" if mdl_type == MODEL_INT8 else "f"
    pos = HEADER_SIZE
    for _ in range(n_layers):
        ltype, is_out, size, in_oft, out_oft = struct.unpack_from("<HHIII", data, pos)
        in_s, in_zp, out_s, out_zp = struct.unpack_from(f"<f{zero}f{zero}", data, pos + 32)
        model["layers"].append({
            "offset": pos, "type": ltype, "is_output": is_out, "size": size,
            "in_offset": in_oft, "out_offset": out_oft,
            "in_dims": struct.unpack_from("<4H", data, pos + 16),
            "out_dims": struct.unpack_from("<4H", data, pos + 24),
            "in_scale": in_s, "in_zero": in_zp, "out_scale": out_s, "out_zero": out_zp})
        pos += size
    return model


# -- example / CLI ---------------------------------------------------------------------

def example_network(seed=0, input_shape=(28, 28, 1), classes=10):
    """An MNIST-shaped CNN with random weights exercising most layer types:
    conv (relu) -> maxpool -> depthwise 'same' (relu6) -> conv stride 2 -> avgpool ->
    global average pool -> dense -> softmax."""
    rng = np.random.default_rng(seed)
    c = input_shape[2]

    def he(*shape):
        fan_in = int(np.prod(shape[:-1]))
        return rng.normal(0, np.sqrt(2.0 / fan_in), shape).astype(F32)

    net = Network(input_shape)
    net.conv2d(he(3, 3, c, 8), rng.normal(0, 0.1, 8), activation="relu")
    net.max_pool2d(2)
    net.depthwise_conv2d(he(3, 3, 8, 2), rng.normal(0, 0.1, 16), padding="same", activation="relu6")
    net.conv2d(he(3, 3, 16, 16), rng.normal(0, 0.1, 16), strides=2, padding="same", activation="relu")
    net.avg_pool2d(2, padding="same")
    net.global_average_pool()
    net.dense(he(16, classes), rng.normal(0, 0.1, classes))
    net.softmax()
    return net


def random_images(count, shape, seed=0):
    """Blob-like uint8 test images: smoothed noise, more like pictures than white noise."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (count,) + tuple(shape)).astype(np.float64)
    for axis in (1, 2):
        images = (images + np.roll(images, 1, axis) + np.roll(images, -1, axis)) / 3
    return np.clip((images - 128) * 2.5 + 128, 0, 255).astype(np.uint8)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("example", help="write the example MNIST-shaped model with random weights")
    ex.add_argument("--dtype", choices=("fp32", "int8"), default="fp32")
    ex.add_argument("--seed", type=int, default=0)
    ex.add_argument("--out", required=True)
    desc = sub.add_parser("describe", help="print the header and layers of a .tmdl file")
    desc.add_argument("path")
    args = parser.parse_args(argv)

    if args.command == "example":
        net = example_network(args.seed)
        data = net.to_tmdl() if args.dtype == "fp32" else \
            net.quantize(random_images(32, net.input_shape, args.seed)).to_tmdl()
        with open(args.out, "wb") as f:
            f.write(data)
        print(f"wrote {args.out}: {len(data)} bytes, {len(net.layers)} layers")
    else:
        with open(args.path, "rb") as f:
            model = read_tmdl(f.read())
        layers = model.pop("layers")
        print(model)
        for layer in layers:
            print(layer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
