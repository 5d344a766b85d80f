"""Prints the archive members mpyforge's linker pulls for a module, in its order.

mpyforge (Sources/Linker/RuntimeLibraryPass.swift) resolves breadth-first in first-use order:
the module's undefined globals in symbol-table order, then each pulled member's own undefined
globals in symbol-table order; archives are searched in the order given, and within an archive
the last member defining a symbol wins. Names MicroPython provides (mp_fun_table & co, memset,
memcpy, memmove) are never looked up. Output: one `archive<TAB>member` line per member.

usage: python3 pull_order.py ARCHIVE... -- OBJECT...
"""
import io
import os
import re
import sys

from ar import Archive
from elftools.elf.elffile import ELFFile

PROVIDED = {"mp_fun_table", "mp_native_qstr_table", "mp_native_obj_table",
            "_GLOBAL_OFFSET_TABLE_", "memset", "memcpy", "memmove"}


def symbols(data):
    elf = ELFFile(io.BytesIO(data))
    table = elf.get_section_by_name(".symtab")
    return list(table.iter_symbols()) if table else []


def defined(sym):
    return sym["st_info"]["bind"] in ("STB_GLOBAL", "STB_WEAK") and sym["st_shndx"] != "SHN_UNDEF"


def needed(sym):
    return sym["st_info"]["bind"] == "STB_GLOBAL" and sym["st_shndx"] == "SHN_UNDEF"


def expand(path):
    """An archive, or the archives a GNU ld script (glibc's libm.a) lists in GROUP(...)."""
    with open(path, "rb") as f:
        if f.read(8) == b"!<arch>\n":
            return [path]
    text = open(path).read()
    names = []
    for group in re.findall(r"GROUP\s*\(([^)]*)\)", text):
        names += [n for n in re.split(r"[\s,]+", group) if n and n != "AS_NEEDED" and not n.startswith("-l")]
    return [n if n.startswith("/") else os.path.join(os.path.dirname(path), n) for n in names]


def main():
    split = sys.argv.index("--")
    archive_paths = [a for path in sys.argv[1:split] for a in expand(path)]
    object_paths = sys.argv[split + 1:]
    archives = []
    for path in archive_paths:
        with open(path, "rb") as f:
            archive = Archive(f)
            members = [(entry.name, archive.open(entry.name, "rb").read()) for entry in archive]
        index = {}
        for number, (_, data) in enumerate(members):
            try:
                for sym in symbols(data):
                    if defined(sym):
                        index[sym.name] = number
            except Exception:
                continue
        archives.append((path, members, index))
    provided, queue = set(), []
    for path in object_paths:
        syms = symbols(open(path, "rb").read())
        provided.update(s.name for s in syms if defined(s))
        queue += [s.name for s in syms if needed(s) and s.name not in PROVIDED]
    taken = set()
    while queue:
        name = queue.pop(0)
        if name in provided:
            continue
        for path, members, index in archives:
            if name not in index:
                continue
            member_name, data = members[index[name]]
            if (path, member_name) not in taken:
                taken.add((path, member_name))
                print(f"{path}\t{member_name}")
                syms = symbols(data)
                provided.update(s.name for s in syms if defined(s))
                queue += [s.name for s in syms if needed(s) and s.name not in provided and s.name not in PROVIDED]
            break


main()
