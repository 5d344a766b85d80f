#!/usr/bin/env bash
# Whole-process time of `mpyforge link` vs upstream tools/mpy_ld.py on the same objects and
# runtime libraries (the golden fixtures' mpyforge_example inputs), plus the .mpy sizes.
# Upstream runs twice first so its archive cache is warm. Not run in CI.
#
#   benchmarks/link_vs_upstream.sh MICROPYTHON_CHECKOUT [MPYFORGE] [PYTHON] [RUNS]
set -euo pipefail
MP=$1
REPO=$(cd "$(dirname "$0")/.." && pwd)
MPYFORGE=${2:-$REPO/.build/release/mpyforge}
PY=${3:-$REPO/.venv/bin/python}
RUNS=${4:-5}
FIX=$REPO/Tests/LinkerTests/Fixtures/golden
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

libraries() {
    case $1 in
        x64) gcc --print-libgcc-file-name; gcc --print-file-name=libm.a; return ;;
        armv6m) f="-mthumb -mcpu=cortex-m0" ;;
        armv7m) f="-mthumb -mcpu=cortex-m3" ;;
        armv7emsp) f="-mthumb -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard" ;;
    esac
    arm-none-eabi-gcc $f --print-libgcc-file-name; arm-none-eabi-gcc $f --print-file-name=libm.a
}

best() {  # best wall time in ms over RUNS runs of the command
    local best=999999 t0 t1 ms
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s%N); "$@" > /dev/null 2>&1; t1=$(date +%s%N)
        ms=$(( (t1 - t0) / 1000000 )); [ "$ms" -lt "$best" ] && best=$ms
    done
    echo "$best"
}

echo "| arch | mpyforge link (ms) | mpy_ld.py warm (ms) | speed-up | .mpy mpyforge (bytes) | .mpy mpy_ld.py (bytes) |"
echo "|---|---|---|---|---|---|"
for arch in x64 armv7emsp armv6m armv7m; do
    d=$FIX/$arch/mpyforge_example
    mapfile -t libs < <(libraries "$arch")
    l=(); for lib in "${libs[@]}"; do l+=(-l "$lib"); done
    ours=(env -C "$WORK" "$MPYFORGE" link --arch "$arch" --qstrs "$d/mpyforge_example.config.h" --source-name mpyforge_example.mpy "${l[@]}" -o "$WORK/ours.mpy" "$d"/*.o)
    theirs=(env -C "$WORK" "$PY" "$MP/tools/mpy_ld.py" --arch "$arch" --qstrs "$d/mpyforge_example.config.h" \
        --source-name mpyforge_example.mpy "${l[@]}" -o "$WORK/theirs.mpy" "$d"/*.o)
    "${theirs[@]}" > /dev/null 2>&1; "${theirs[@]}" > /dev/null 2>&1   # warm the archive cache
    a=$(best "${ours[@]}"); b=$(best "${theirs[@]}")
    echo "| $arch | $a | $b | $(awk "BEGIN { printf \"%.1fx\", $b / ($a > 0 ? $a : 1) }") | $(stat -c%s "$WORK/ours.mpy") | $(stat -c%s "$WORK/theirs.mpy") |"
done
