#!/usr/bin/env bash
# Validates aam's SARIF output with Microsoft's SARIF validator, its SARIF
# rules and GitHub's. Run by scripts/test-all.sh (CI); the validator comes from
# the npm registry.
# The validator exits 0 even when it reports errors, so this script reads
# its output and fails on any error or warning.
#
#   bash scripts/validate-sarif.sh   # uses target/debug/aam (builds it)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

cargo build --quiet
aam="$root/target/debug/aam"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A small tree with findings of several rules, related locations and fixes.
mkdir -p "$work/tree/notes"
cp examples/*.aam "$work/tree/" 2>/dev/null || true
cp tests/data/seed-article.txt "$work/tree/seed.aam"
printf 'The pier opened in 2011.[2] It was extended in 2015.[1] Crowds came.[3]\n\n[1] “Pier extension”, Harbour Times, 2015\n[2] “Pier opens”, Harbour Times, 2011\n' > "$work/tree/harbour.aam"
printf 'Café 😀 text.[^src] Gone.[^gone]\n\n[^src]: A source, 2020\n[^old]: Unused, 2019\n<!-- aam-disable AAM999 -->\n' > "$work/tree/notes/odd, name.aam"
(cd "$work/tree" && "$aam" check --output-format sarif -o "$work/aam.sarif" --exit-zero) || true

mkdir -p "$work/npm"
(cd "$work/npm" && npm install --silent --no-audit --no-fund @microsoft/sarif-multitool >/dev/null 2>&1)
tool=$(find "$work/npm/node_modules" -name Sarif.Multitool -type f | head -1)
chmod u+x "$tool"
# Rule kinds: the SARIF rules and GitHub code scanning's (Ghas; `Gh` is its
# deprecated name). Azure DevOps' (GHAzDO) need pipeline ids only a pipeline
# can give.
"$tool" validate --rule-kind "Sarif;Ghas" --output "$work/validation.sarif" "$work/aam.sarif" > "$work/validate.log" 2>&1 || true
cat "$work/validate.log"

# The validation log is itself SARIF: count its error and warning results.
python3 - "$work/validation.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
bad = []
for run in log.get("runs", []):
    for result in run.get("results", []):
        level = result.get("level", "warning")
        if level in ("error", "warning"):
            bad.append(f'{level} {result.get("ruleId")}: {result.get("message", {}).get("text", "")}')
for line in bad:
    print(line)
print(f"validator: {len(bad)} errors and warnings")
sys.exit(1 if bad else 0)
PY
