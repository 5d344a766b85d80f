# mpyforge_install: installs the build of a package that suits this device.
#
# An mpyforge index keeps one mip index per <arch>_<abi> directory, because stock mip
# cannot choose a CPU architecture (micropython-lib#1129). This module reads
# sys.implementation._mpy, names the matching directory and hands it to stock mip.
# Pure Python, so every MicroPython can take it:
#
#   import mip
#   mip.install("<base>/mpyforge_install.py")
#   import mpyforge_install
#   mpyforge_install.target()                        # e.g. "xtensawin_6.3"
#   mpyforge_install.install("emlearn_trees")        # the latest version
#   mpyforge_install.install("emlearn_trees", "0.2.0")
#   mpyforge_install.install_all()                   # every module published for this device
#
# install() and install_all() return True once every file is in place with the right hash.
# `mpyforge publish` fills in the two values below. Published without --base-url, BASE_URL is
# empty on disk; `mpyforge serve` fills in the address the device reached it by as it sends
# this file, and served by anything else each call takes the address as base="https://...".

import sys

BASE_URL = "{{base_url}}"
TARGETS = "{{targets}}".split()

# MicroPython's native arch numbers (MP_NATIVE_ARCH_*), by position.
_ARCHES = (
    None, "x86", "x64", "armv6", "armv6m", "armv7m", "armv7em",
    "armv7emsp", "armv7emdp", "xtensa", "xtensawin", "rv32imc", "rv64imc",
)


def target(mpy=None):
    """The <arch>_<abi> build this device loads, from sys.implementation._mpy."""
    if mpy is None:
        mpy = getattr(sys.implementation, "_mpy", 0)
    version = mpy & 0xFF
    feature = mpy >> 8
    code = (feature >> 2) & 0x2F
    if not version:
        raise ValueError("this MicroPython does not report an .mpy version")
    if code == 0 or code >= len(_ARCHES) or _ARCHES[code] is None:
        raise ValueError("this MicroPython cannot load native code (arch code %d)" % code)
    return "%s_%d.%d" % (_ARCHES[code], version, feature & 3)


def index_url(base=None, mpy=None):
    """The mip index for this device: <base>/<arch>_<abi>."""
    base = (base or BASE_URL).rstrip("/")
    if not base:
        # A static index cannot know its own address: publish writes it when given --base-url,
        # and `mpyforge serve` as it sends this file.
        raise ValueError(
            "this index was published without --base-url, so give its address: "
            "install(name, base='http://...'), the address mpyforge_install came from "
            "(index.html shows the call with it filled in)"
        )
    name = target(mpy)
    if TARGETS and name not in TARGETS:
        raise ValueError("this index has no %s build (it has %s)" % (name, ", ".join(TARGETS)))
    return base + "/" + name


def install(package, version=None, base=None, lib=None):
    """Installs `package` (its latest version unless told) for this device with stock mip."""
    import mip

    index = index_url(base)
    lib = lib or _lib_dir()
    mip.install(package, index=index, target=lib, version=version)
    mpy = getattr(sys.implementation, "_mpy", 0) & 0xFF
    spec = _fetch_json("%s/package/%d/%s/%s.json" % (index, mpy, package, version or "latest"))
    return spec is not None and all(_has(lib + "/" + path, short) for path, short in spec.get("hashes", ()))


def install_all(base=None, lib=None):
    """Installs every module published for this device (the bundle package.json)."""
    import mip

    bundle = index_url(base) + "/package.json"
    lib = lib or _lib_dir()
    mip.install(bundle, target=lib)
    spec = _fetch_json(bundle)
    return spec is not None and all(_has(lib + "/" + path) for path, _ in spec.get("urls", ()))


def _lib_dir():
    # The directory mip itself would choose.
    for path in sys.path:
        if path.endswith("/lib") and not path.startswith("/rom"):
            return path
    raise ValueError("no lib directory in sys.path: pass lib='...'")


def _fetch_json(url):
    import requests

    response = requests.get(url)
    try:
        return response.json() if response.status_code == 200 else None
    finally:
        response.close()


def _has(path, short_hash=None):
    import binascii
    import hashlib

    try:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while True:
                chunk = f.read(256)
                if not chunk:
                    break
                digest.update(chunk)
    except OSError:
        return False
    found = str(binascii.hexlify(digest.digest()), "utf-8")
    return short_hash is None or found.startswith(short_hash)
