"""Time per inference of emlearn_cnn_fp32 / emlearn_cnn_int8 in the MicroPython unix port.

    .venv/bin/python benchmarks/cnn.py                  # builds the module with mpyforge
    .venv/bin/python benchmarks/cnn.py --libdir DIR     # uses DIR/emlearn_cnn_*.mpy

Models are generated with scripts/tmdl_writer.py (random weights; speed does not depend
on the values). Prints one line per model and variant, then a JSON summary.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import tmdl_writer as tw  # noqa: E402

TIMING_SCRIPT = """
import array, gc, json, time, emlearn_cnn_%(variant)s as cnn
model = cnn.new(open('%(path)s', 'rb').read())
n_out = 1
for d in model.output_dimensions():
    n_out *= d
pixels = array.array('B', open('%(pixels)s', 'rb').read())
out = array.array('f', bytes(4 * n_out))
model.run(pixels, out)  # warm-up
gc.collect()
start = time.ticks_us()
for _ in range(%(iterations)d):
    model.run(pixels, out)
elapsed = time.ticks_diff(time.ticks_us(), start)
print(json.dumps({'us_per_inference': elapsed / %(iterations)d}))
"""


def cifar_like_network(seed=0):
    """A heavier 32x32x3 model: MobileNet-style depthwise-separable blocks."""
    rng = np.random.default_rng(seed)

    def w(*shape):
        return rng.normal(0, np.sqrt(2.0 / np.prod(shape[:-1])), shape).astype(np.float32)

    net = tw.Network((32, 32, 3))
    net.conv2d(w(3, 3, 3, 16), strides=2, padding="same", activation="relu")
    for cin, cout, stride in ((16, 32, 1), (32, 64, 2), (64, 64, 1)):
        net.depthwise_conv2d(w(3, 3, cin, 1), padding="same", strides=stride, activation="relu6")
        net.conv2d(w(1, 1, cin, cout), activation="relu6")
    net.global_average_pool()
    net.dense(w(64, 10))
    net.softmax()
    return net


MODELS = {
    "mnist_example_28x28x1": lambda: tw.example_network(seed=0),
    "mobilenet_like_32x32x3": cifar_like_network,
}


def build_with_mpyforge(out_dir):
    mpyforge = os.environ.get("MPYFORGE", str(REPO / ".build" / "debug" / "mpyforge"))
    subprocess.run([mpyforge, "build", REPO / "CModules" / "emlearn_cnn", "--arch", "x64",
                    "--abi", "6.3", "--out", out_dir], check=True)
    return Path(out_dir) / "x64_6.3"


def time_model(micropython, libdir, variant, model_path, pixels_path, iterations):
    script = TIMING_SCRIPT % {"variant": variant, "path": model_path, "pixels": pixels_path,
                              "iterations": iterations}
    env = dict(os.environ, MICROPYPATH=f"{libdir}:.frozen")
    proc = subprocess.run([micropython, "-c", script], capture_output=True, text=True, env=env,
                          check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])["us_per_inference"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--libdir", help="directory holding emlearn_cnn_fp32.mpy and emlearn_cnn_int8.mpy")
    parser.add_argument("--micropython", default=str(Path(sys.executable).parent / "micropython"))
    parser.add_argument("--iterations", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        libdir = args.libdir or build_with_mpyforge(tmp)
        results = []
        for name, make in MODELS.items():
            net = make()
            images = tw.random_images(8, net.input_shape, seed=1)
            pixels_path = Path(tmp) / f"{name}.pixels"
            pixels_path.write_bytes(images[0].tobytes())
            blobs = {"fp32": net.to_tmdl(), "int8": net.quantize(images).to_tmdl()}
            for variant, data in blobs.items():
                model_path = Path(tmp) / f"{name}_{variant}.tmdl"
                model_path.write_bytes(data)
                us = time_model(args.micropython, libdir, variant, model_path, pixels_path,
                                args.iterations)
                results.append({"model": name, "variant": variant, "model_bytes": len(data),
                                "ms_per_inference": round(us / 1000, 3)})
                print(f"{name:28s} {variant:5s} {len(data):7d} B  {us / 1000:8.3f} ms/inference")
        print(json.dumps(results))


if __name__ == "__main__":
    main()
