#!/usr/bin/env python3
"""Writes latin-trigrams.tsv and latin-alphabets.tsv from whatlang's sources.

Usage: extract-latin.py WHATLANG_SRC_DIR OUT_DIR

WHATLANG_SRC_DIR is the unpacked crate (for example
~/.cargo/registry/src/index.crates.io-*/whatlang-0.18.0). Run it again when the workspace moves
to another whatlang version: the classifier's tests compare its fast path with whatlang itself
on every bundled article, and fail while the two data sets differ.
"""
import re
import sys
from pathlib import Path

src, out = Path(sys.argv[1]), Path(sys.argv[2])

profiles = (src / "src/trigrams/profiles.rs").read_text(encoding="utf-8")
start = profiles.index("pub static LATIN_LANGS")
end = profiles.index("pub static", start + 1)
latin = profiles[start:end]
char = r"'((?:\\.|[^'\\])+)'"
lines = []
for block in re.split(r"\(\s*Lang::", latin)[1:]:
    code = block[: block.index(",")].strip().lower()
    trigrams = re.findall(rf"Trigram\({char},\s*{char},\s*{char}\)", block)
    def unescape(c):
        return c.encode("utf-8").decode("unicode_escape") if c.startswith("\\") else c
    text = "|".join("".join(unescape(c) for c in t) for t in trigrams)
    lines.append(f"{code}\t{text}")
(out / "latin-trigrams.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")

alphabets = (src / "src/alphabets/latin.rs").read_text(encoding="utf-8")
consts = dict(re.findall(r'const ([A-Z]{3}): &str =\s*"([^"]*)";', alphabets))
order = re.findall(r"\(Lang::(\w+), ([A-Z]{3})\)", alphabets)
rows = [f"{lang.lower()}\t{consts[const]}" for lang, const in order]
(out / "latin-alphabets.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
print(f"{len(lines)} trigram profiles, {len(rows)} alphabets")
