#!/bin/sh
# Measures every budget of docs/performance.md on this machine (run by hand,
# on a quiet machine: wall times are only meaningful without other load).
#
#   bash bench/measure.sh [CORPUS_DIR]      # default /tmp/corpus (+ /tmp/folder)
#
# Prints: `aam check` on the 1 MB and 10 MB articles and on a folder of 5,000
# seed-size articles (wall, CPU, peak memory; best of 3), the truth counts
# of the 10 MB article, and on the 1 MB `.txt` and `.md` articles the
# in-process keystroke latency and the end-to-end latency over stdio: the
# real server's open, hover, completion and keystrokes, then 200 keystrokes
# in each of the ways editors get diagnostics (push with the default
# settings, push with `debounce-ms = 0`, pull), side by side, each timed
# when its frame has been read (before the client parses it), with the
# server's CPU and memory.
#
#   ONLY=lsp bash bench/measure.sh          # only the language server part
set -eu
cd "$(dirname "$0")/.."
corpus=${1:-/tmp/corpus}
folder=${FOLDER:-/tmp/folder}
if [ "${ONLY:-}" = lsp ]; then
    [ -f "$corpus/article_1m.md" ] || python3 bench/gen_corpus.py --out "$corpus" --sizes 1m
else
    [ -f "$corpus/article_10m.txt" ] || python3 bench/gen_corpus.py --out "$corpus" --sizes 1m,10m
    [ -d "$folder" ] || python3 bench/gen_folder.py --out "$folder" --count 5000
fi
cargo build --release --locked --quiet --bin aam

echo "machine: $(nproc) cores, $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${ONLY:-}" != lsp ]; then
timed() {
    label=$1
    shift
    for run in 1 2 3; do
        /usr/bin/time -f "$label: %e s wall, %U s user, %S s system, %M KB peak" "$@" > /dev/null 2>> /tmp/aam-measure.$$ || true
    done
    sort -t: -k2 -n /tmp/aam-measure.$$ | grep "^$label:" | head -n 1
    rm -f /tmp/aam-measure.$$
}
timed "check 1 MB" target/release/aam check --isolated --output-format concise "$corpus/article_1m.txt"
timed "check 10 MB" target/release/aam check --isolated --output-format concise "$corpus/article_10m.txt"
timed "check 5,000 files" target/release/aam check --isolated --output-format concise "$folder"

echo "counts on the 10 MB article (reported / truth):"
target/release/aam check --isolated --output-format concise "$corpus/article_10m.txt" 2>/dev/null \
    | grep -o 'AAM[0-9]*' | sort | uniq -c > /tmp/aam-counts.$$ || true
python3 - "$corpus/article_10m.truth.json" /tmp/aam-counts.$$ <<'PY'
import json, sys
truth = json.load(open(sys.argv[1]))
counts = {code: int(n) for n, code in (line.split() for line in open(sys.argv[2]))}
def t(key):
    return truth.get(key, "?")
print(f"  AAM001 unresolved references {counts.get('AAM001', 0)} / {t('unresolved_ref_count')}")
print(f"  AAM101 exact repeats         {counts.get('AAM101', 0)} / {t('exact_duplicate_count')}")
print(f"  AAM201 invalid dates         {counts.get('AAM201', 0)} / {t('invalid_date_count')}")
print(f"  AAM202 weekday mismatches    {counts.get('AAM202', 0)} / {t('weekday_mismatch_long_count')} + {t('weekday_mismatch_iso_count')}")
PY
rm -f /tmp/aam-counts.$$

for article in article_1m.txt article_1m.md; do
    echo "keystrokes, in process (200 one-character edits on $article, back to back):"
    cargo bench --locked --quiet --bench keystrokes -- "$corpus/$article" 2>/dev/null | tail -n 6
    echo "keystrokes, in process ($article, 100 ms idle before each, as a typist's):"
    cargo bench --locked --quiet --bench keystrokes -- "$corpus/$article" --idle 2>/dev/null | tail -n 4
done
fi
for article in article_1m.txt article_1m.md; do
    echo "language server over stdio ($article, load average $(cut -d' ' -f1-3 /proc/loadavg)):"
    AAM_LSP_BENCH="$corpus/$article" cargo test --locked --release --quiet --test lsp_latency -- --nocapture 2>/dev/null \
        | sed -n '/bytes$/,/^test result/p' | grep -v -e '^test ' -e '^$' -e '^\.$'
done
