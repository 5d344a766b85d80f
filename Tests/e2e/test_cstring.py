"""The SDK's C string functions (CModules/sdk/runtime/string.c): they link on every arch
(MicroPython exports none of them; before, strlen was undefined on ARM) and give C's
answers on x64, checked against the same questions answered in Python here."""

import json

import pytest

from conftest import REPO, run_micropython_json, run_mpyforge

MODULE = REPO / "Tests" / "e2e" / "modules" / "cstring"
WORDS = ["", "a", "abc", "abd", "ab", "hello world", "zz\u00e9"]


def sign(v):
    return (v > 0) - (v < 0)


def find(s, c):
    return s.encode().find(bytes([c]))


@pytest.mark.parametrize("arch", ["armv6m", "armv7m", "armv7emsp", "armv7emdp", "rv32imc", "x86", "xtensa"])
def test_links_on_every_arch(tmp_path, arch):
    proc = run_mpyforge("build", MODULE, "--arch", arch, "--out", tmp_path / "d", "--work", tmp_path / "w", "--json")
    assert json.loads(proc.stdout)["jobs"][0]["status"] == "built"


def test_x64_gives_c_answers(tmp_path):
    run_mpyforge("build", MODULE, "--arch", "x64", "--out", tmp_path / "d", "--work", tmp_path / "w")
    script = f"""
import cstring as c, json
words = {WORDS!r}
out = {{}}
out["strlen"] = [c.strlen(w) for w in words]
out["strnlen"] = [c.strnlen(w, 2) for w in words]
out["strcmp"] = [[c.strcmp(a, b) for b in words] for a in words]
out["strncmp"] = [[c.strncmp(a, b, 2) for b in words] for a in words]
out["memcmp"] = [[c.memcmp(a.encode(), b.encode()) for b in words] for a in words]
out["memchr"] = [c.memchr(w.encode(), ord("b")) for w in words]
out["strchr"] = [c.strchr(w, ord("l")) for w in words]
out["strchr0"] = [c.strchr(w, 0) for w in words]
out["strrchr"] = [c.strrchr(w, ord("l")) for w in words]
out["strstr"] = [c.strstr(w, "b") for w in words] + [c.strstr("hello world", "wor"), c.strstr("abc", "")]
out["copy"] = [c.copy("ab", w, 4) for w in words]
print(json.dumps(out))
"""
    got = run_micropython_json(script, tmp_path / "d" / "x64_6.3")
    enc = [w.encode() for w in WORDS]
    assert got["strlen"] == [len(e) for e in enc]
    assert got["strnlen"] == [min(len(e), 2) for e in enc]
    assert got["strcmp"] == [[sign((a > b) - (a < b)) for b in enc] for a in enc]
    assert got["strncmp"] == [[sign((a[:2] > b[:2]) - (a[:2] < b[:2])) for b in enc] for a in enc]
    assert got["memcmp"] == [[sign((a[:min(len(a), len(b))] > b[:min(len(a), len(b))]) - (a[:min(len(a), len(b))] < b[:min(len(a), len(b))]))
                              for b in enc] for a in enc]
    assert got["memchr"] == [e.find(b"b") for e in enc]
    assert got["strchr"] == [e.find(b"l") for e in enc]
    assert got["strchr0"] == [len(e) for e in enc], "strchr(s, 0) finds the terminator"
    assert got["strrchr"] == [e.rfind(b"l") for e in enc]
    assert got["strstr"] == [e.find(b"b") for e in enc] + [6, 0]
    assert got["copy"] == [("ab" + e[:4].decode("utf-8", "ignore")) for e in enc]
