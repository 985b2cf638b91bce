#!/bin/sh
# Runs one fuzz target for SECONDS (default 1260) in one process, on the
# seeded corpus; crashes land in artifacts/TARGET/. Build first with
#   RUSTC_BOOTSTRAP=1 cargo fuzz build -O TARGET
# (stable toolchain; RUSTC_BOOTSTRAP lets cargo-fuzz pass its -Z flags).
set -eu
cd "$(dirname "$0")"
target=$1
seconds=${2:-1260}
[ -d "corpus/$target" ] || python3 seed.py
mkdir -p "artifacts/$target" logs
exec "target/x86_64-unknown-linux-gnu/release/$target" "corpus/$target" \
    -artifact_prefix="artifacts/$target/" -max_total_time="$seconds" \
    -max_len=16384 -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    > "logs/$target.log" 2>&1
