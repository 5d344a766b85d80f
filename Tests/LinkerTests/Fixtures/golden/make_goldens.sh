#!/usr/bin/env bash
# Regenerates the golden link fixtures: copies the objects and config headers `mpyforge build`
# left in a work directory, links them with upstream tools/mpy_ld.py, and pins the runtime
# library members the link needs. See README.md here for what each file is and why.
#
#   make_goldens.sh MICROPYTHON_CHECKOUT WORK_DIR [PYTHON]
#
# WORK_DIR is the --work directory of an `mpyforge build` of the modules below (rv32imc objects
# compiled as README.md says). PYTHON needs pyelftools and ar (pip install pyelftools ar).
set -euo pipefail
MP=$1; WORK=$2; PY=${3:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)
ARCHS="x64 armv7emsp armv6m armv7m rv32imc"
MODULES="mpyforge_example emlearn_trees emlearn_iir emlearn_fft emlearn_neighbors emlearn_arrayutils"
SEEDS="0 1 2 3 4 5 6 7"
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

# The runtime libraries mpyforge hands the linker: libgcc.a and libm.a of the arch's compiler
# with the arch's flags (Sources/Toolchain/ArchProfile.swift, RuntimeLibraries.swift).
libraries() {
    local cc flags
    case $1 in
        x64) cc=gcc; flags="-fno-stack-protector" ;;
        armv6m) cc=arm-none-eabi-gcc; flags="-mthumb -mcpu=cortex-m0" ;;
        armv7m) cc=arm-none-eabi-gcc; flags="-mthumb -mcpu=cortex-m3" ;;
        armv7emsp) cc=arm-none-eabi-gcc; flags="-mthumb -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard" ;;
        rv32imc) riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 --print-libgcc-file-name; return ;;
    esac
    $cc $flags --print-libgcc-file-name
    $cc $flags --print-file-name=libm.a
}

# upstream SEED OUT ARGS...: one mpy_ld.py run. mpy_ld.py caches archive indexes (pickled
# sets) under its working directory; runs with -l share one directory per arch.
upstream() {
    local seed=$1 out=$2; shift 2
    local dir="$SCRATCH/cwd-$arch"; mkdir -p "$dir"
    (cd "$dir" && PYTHONHASHSEED=$seed "$PY" "$MP/tools/mpy_ld.py" -vv "$@" -o "$out") > "$SCRATCH/log" 2>&1 \
        || { cat "$SCRATCH/log"; return 1; }
}

for arch in $ARCHS; do
    mapfile -t libs < <(libraries "$arch")
    for module in $MODULES; do
        src="$WORK/$module/${arch}_6.3"
        [ -d "$src" ] || { echo "skip $arch/$module: no $src"; continue; }
        dest="$HERE/$arch/$module"
        rm -rf "$dest"; mkdir -p "$dest"
        cp "$src"/*.o "$src/$module.config.h" "$dest/"
        objects=("$dest"/*.o)
        common=(--arch "$arch" --qstrs "$dest/$module.config.h" --source-name "$module.mpy")
        lflags=(); for lib in "${libs[@]}"; do lflags+=(-l "$lib"); done

        # Which members mpyforge pulls, in its order; upstream must pull the same set.
        mapfile -t pulled < <("$PY" "$HERE/pull_order.py" "${libs[@]}" -- "${objects[@]}")
        upstream 0 "$SCRATCH/full.mpy" "${common[@]}" "${lflags[@]}" "${objects[@]}"
        { grep '^using ' "$SCRATCH/log" || true; } | sed 's/^using //; s/:\([^:]*\)$/\t\1/' | sort > "$SCRATCH/upstream-set"
        printf '%s\n' "${pulled[@]}" | sed '/^$/d' | sort > "$SCRATCH/our-set"
        cmp -s "$SCRATCH/upstream-set" "$SCRATCH/our-set" || { echo "$arch/$module: member sets differ"; diff "$SCRATCH/upstream-set" "$SCRATCH/our-set"; exit 1; }

        if [ -z "${pulled[0]:-}" ]; then
            # Nothing from the libraries: the golden is upstream's -l link as it is.
            inputs=("${lflags[@]}" "${objects[@]}"); how="mpy_ld.py -l libgcc.a -l libm.a (no member pulled)"
        else
            # Pin the members: one small archive per library, members in mpyforge's order.
            # Pin the members: one small archive per library (numbered in search order), the
            # members in mpyforge's order.
            mkdir -p "$dest/lib" "$SCRATCH/members"
            mapfile -t archives < <(printf '%s\n' "${pulled[@]}" | cut -f1 | awk '!seen[$0]++')
            members=()
            for archive in "${archives[@]}"; do
                n=9; i=0; for lib in "${libs[@]}"; do i=$((i + 1)); [ "$lib" = "$archive" ] && n=$i; done
                chosen=(); for line in "${pulled[@]}"; do [ "${line%%$'\t'*}" = "$archive" ] && chosen+=("${line#*$'\t'}"); done
                rm -rf "$SCRATCH/members/$n"; mkdir -p "$SCRATCH/members/$n"
                (cd "$SCRATCH/members/$n" && ar x "$archive" "${chosen[@]}" && ar rcD "$dest/lib/$n-$(basename "$archive")" "${chosen[@]}")
            done
            # Upstream's -l order depends on PYTHONHASHSEED; the members given as objects in
            # mpyforge's order are what -l does for a seed that happens to pick that order.
            for line in "${pulled[@]}"; do
                archive=${line%%$'\t'*}
                n=9; i=0; for lib in "${libs[@]}"; do i=$((i + 1)); [ "$lib" = "$archive" ] && n=$i; done
                members+=("$SCRATCH/members/$n/${line#*$'\t'}")
            done
            inputs=("${objects[@]}" "${members[@]}"); how="mpy_ld.py OBJECTS MEMBERS... (${#pulled[@]} members, mpyforge's order)"
        fi
        hashes=""
        for seed in $SEEDS; do
            upstream "$seed" "$SCRATCH/seed.mpy" "${common[@]}" "${inputs[@]}"
            hashes+=" $(sha256sum < "$SCRATCH/seed.mpy" | cut -c1-12)"
        done
        distinct=$(echo $hashes | tr ' ' '\n' | sort -u | wc -l)
        [ "$distinct" -eq 1 ] || { echo "$arch/$module: golden differs across seeds:$hashes"; exit 1; }
        cp "$SCRATCH/seed.mpy" "$dest/$module.mpy"
        # Was upstream's plain -l link itself stable across seeds?
        fullhashes=""
        for seed in $SEEDS; do
            upstream "$seed" "$SCRATCH/seed.mpy" "${common[@]}" "${lflags[@]}" "${objects[@]}"
            fullhashes+=" $(sha256sum < "$SCRATCH/seed.mpy" | cut -c1-12)"
        done
        fulldistinct=$(echo $fullhashes | tr ' ' '\n' | sort -u | wc -l)
        count=0; [ -n "${pulled[0]:-}" ] && count=${#pulled[@]}
        echo "| $arch | $module | $count | $how | $fulldistinct of ${SEEDS// /,} |"
    done
done
