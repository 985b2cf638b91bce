#!/usr/bin/env python3
"""Fills corpus/<target>/ with seed inputs: the example articles, the
grammar's example and corpus cases (one file per case), the test data and
fixtures, and the hand-written seeds in seeds/. The corpus directory is not
committed; run this once before `cargo fuzz run`."""
import hashlib, os, re, sys, glob

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGETS = ["check_and_render", "incremental_edits", "positions", "fix_renumber"]

def inputs():
    for pattern in ["examples/*.aam", "grammar/test/examples/*", "tests/data/*.txt", "grammar/test/highlight/*.aam"]:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
            yield open(path, "rb").read()
    # Each grammar corpus case: the text between its header and its `---` line.
    for path in sorted(glob.glob(os.path.join(ROOT, "grammar/test/corpus/*.txt"))):
        text = open(path, "rb").read()
        for case in re.split(rb"\n?={10,}\|*\r?\n[^\n]*\n={10,}\|*\r?\n", text)[1:]:
            yield re.split(rb"\r?\n-{10,}\|*\r?\n", case)[0]
    # The date extraction set: each line of prose.
    for line in open(os.path.join(ROOT, "tests/data/dates_extraction.txt"), "rb"):
        if not line.startswith((b"#", b"=>", b"@")) and line.strip():
            yield line
    for path in sorted(glob.glob(os.path.join(HERE, "seeds", "*"))):
        yield open(path, "rb").read()

def main():
    seen = 0
    for target in TARGETS:
        out = os.path.join(HERE, "corpus", target)
        os.makedirs(out, exist_ok=True)
        for data in inputs():
            if not data or len(data) > 64 * 1024:
                continue
            with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)
            seen += 1
    print(f"{seen // len(TARGETS)} seeds per target")

if __name__ == "__main__":
    sys.exit(main())
