#!/bin/sh
# Performance regression guard by instruction count, not by time: counts the
# instructions (valgrind's callgrind, which is exact and does not depend on
# the machine's load) that a release build spends on fixed inputs, and fails
# when one exceeds its baseline in bench/perf-baseline.txt by more than
# MARGIN percent (default 25). Run by scripts/test-all.sh.
#
#   scripts/perf-guard.sh            # compare
#   scripts/perf-guard.sh --update   # write the current counts as the baseline
#
# The inputs: `aam check` on the generated 100 kB article (bench/gen_corpus.py
# is deterministic), the keystroke bench on it (open, then 20 one-character
# edits through the language server's document layer, model and rules each),
# and the real `aam lsp` driven through the same open and 20 edits over stdio
# by bench/lsp_session.py, each edit awaited to its diagnostics, once pushed
# and once pulled (`textDocument/diagnostic`): the whole server, framing,
# conversion and serialisation included.
# One rayon thread, so that the count does not include idle threads spinning.
set -eu
cd "$(dirname "$0")/.."
margin=${MARGIN:-25}
baseline=bench/perf-baseline.txt

if ! command -v valgrind >/dev/null 2>&1; then
    echo "perf-guard: valgrind is not installed (apt-get install valgrind)" >&2
    exit 1
fi

cargo build --release --locked --quiet --bin aam
keystrokes=$(cargo bench --locked --bench keystrokes --no-run 2>&1 | sed -n 's/.*(\(.*keystrokes-[0-9a-f]*\)).*/\1/p' | tail -n 1)
[ -x "$keystrokes" ] || { echo "perf-guard: could not build the keystrokes bench" >&2; exit 1; }

corpus=target/perf-guard
[ -f "$corpus/article_100k.txt" ] || python3 bench/gen_corpus.py --out "$corpus" --sizes 100k >/dev/null

instructions() {
    RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

# The server's instructions over a whole session (valgrind wraps the server,
# the Python client drives it).
session() {
    RAYON_NUM_THREADS=1 python3 bench/lsp_session.py --mode "$1" --edits 20 "$corpus/article_100k.txt" -- \
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "${CARGO_TARGET_DIR:-target}/release/aam" lsp 2>&1 >/dev/null \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

check=$(instructions "${CARGO_TARGET_DIR:-target}/release/aam" check --isolated --output-format concise "$corpus/article_100k.txt" || true)
typing=$(instructions "$keystrokes" "$corpus/article_100k.txt" --edits 20 || true)
push=$(session push || true)
pull=$(session pull || true)
[ -n "$check" ] && [ -n "$typing" ] && [ -n "$push" ] && [ -n "$pull" ] || { echo "perf-guard: callgrind gave no count" >&2; exit 1; }

if [ "${1:-}" = "--update" ]; then
    printf 'check_100k %s\nkeystrokes_100k_20 %s\nlsp_push_100k_20 %s\nlsp_pull_100k_20 %s\n' "$check" "$typing" "$push" "$pull" > "$baseline"
    echo "perf-guard: wrote $baseline"
    cat "$baseline"
    exit 0
fi

status=0
compare() {
    name=$1
    now=$2
    base=$(sed -n "s/^$name //p" "$baseline")
    if [ -z "$base" ]; then
        echo "perf-guard: $name: $now instructions, no baseline in $baseline (scripts/perf-guard.sh --update)" >&2
        status=1
        return
    fi
    limit=$((base + base * margin / 100))
    percent=$((now * 100 / base))
    if [ "$now" -gt "$limit" ]; then
        echo "perf-guard: $name: $now instructions, $percent% of the baseline $base (limit +$margin%): REGRESSION" >&2
        status=1
    else
        echo "perf-guard: $name: $now instructions, $percent% of the baseline $base"
    fi
}
compare check_100k "$check"
compare keystrokes_100k_20 "$typing"
compare lsp_push_100k_20 "$push"
compare lsp_pull_100k_20 "$pull"
if [ "$status" -ne 0 ]; then
    echo "perf-guard: profile with 'valgrind --tool=callgrind' or 'perf record', or, for an intended change, run scripts/perf-guard.sh --update and say why in the commit" >&2
fi
exit "$status"
