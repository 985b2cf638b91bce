#!/usr/bin/env bash
# Builds 10 MB articles from the seed article and times the parser on them.
#
#   ./bench.sh [OUT_DIR]
#
# Writes OUT_DIR/seed-10m.aam (the seed's body and notes repeated with
# renumbered labels, `[n]` style), OUT_DIR/seed-10m-md.aam (the same with
# `[^n]` references, `[^n]:` notes and a heading per copy) and
# OUT_DIR/seed-10m-wrapped.aam (the first one hard-wrapped at 80 columns, notes
# continued on indented lines), then prints the best of 7 parses of each
# through the Rust binding (release build), and `tree-sitter parse --time`
# when the CLI is installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"

python3 - "$here/test/examples/seed-article.txt" "$out" <<'PY'
import re, sys, textwrap
seed_path, out = sys.argv[1], sys.argv[2]
seed = open(seed_path, encoding="utf-8").read().replace("\r\n", "\n")
lines = seed.rstrip("\n").split("\n")
body = [l for l in lines if not re.match(r"\[\d+\] ", l)]
notes = [l for l in lines if re.match(r"\[\d+\] ", l)]
target = 10_000_000

def build(markdown):
    parts, size, copy = [], 0, 0
    while size < target:
        base = copy * len(notes)
        shift = lambda m: str(int(m.group(1)) + base)
        if markdown:
            chunk = [f"## Part {copy + 1}", ""]
            chunk += [re.sub(r"\[(\d+)\]", lambda m: f"[^{shift(m)}]", l) + "\n" for l in body]
            chunk += [re.sub(r"^\[(\d+)\] ", lambda m: f"[^{shift(m)}]: ", l) for l in notes]
        else:
            chunk = [re.sub(r"\[(\d+)\]", lambda m: f"[{shift(m)}]", l) for l in body]
            chunk += [re.sub(r"^\[(\d+)\]", lambda m: f"[{shift(m)}]", l) for l in notes]
        text = "\n".join(chunk) + "\n\n"
        parts.append(text)
        size += len(text.encode("utf-8"))
        copy += 1
    return "".join(parts)

def wrap(text):
    out = []
    for line in text.split("\n"):
        if len(line) <= 80:
            out.append(line)
            continue
        note = re.match(r"\[\^?\w+\]:? ", line) is not None
        wrapped = textwrap.wrap(line, 78 if note else 80, break_long_words=False, break_on_hyphens=False)
        out.append(wrapped[0])
        out.extend(("  " if note else "") + w for w in wrapped[1:])
    return "\n".join(out)

plain = build(False)
open(f"{out}/seed-10m.aam", "w", encoding="utf-8").write(plain)
open(f"{out}/seed-10m-md.aam", "w", encoding="utf-8").write(build(True))
open(f"{out}/seed-10m-wrapped.aam", "w", encoding="utf-8").write(wrap(plain))
PY

files=("$out/seed-10m.aam" "$out/seed-10m-md.aam" "$out/seed-10m-wrapped.aam")
(cd "$here" && cargo run --quiet --release --example parse_time -- "${files[@]}")
if command -v tree-sitter >/dev/null 2>&1; then
  for f in "${files[@]}"; do
    (cd "$here" && tree-sitter parse --time --quiet "$f" 2>/dev/null | grep -v '^$') || true
  done
fi
