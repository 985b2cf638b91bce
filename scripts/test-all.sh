#!/usr/bin/env bash
# Runs every test of aam on a fresh machine: installs what is missing, then
# formatting, lints, the Rust tests, the grammar's corpus tests, the
# installs without cargo (release binaries, wheel, action) and the editor
# tests. Used by .ci/run and named in the README.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "toolchain"
cargo --version
export PATH="$HOME/.cargo/bin:$PATH"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked

step "grammar: corpus tests and generated sources"
if ! command -v tree-sitter >/dev/null || ! tree-sitter --version | grep -q "0.27"; then
  cargo install --locked tree-sitter-cli@0.27.1
fi
(cd grammar && tree-sitter test && bash check-generated.sh)

step "performance guard: instruction counts against bench/perf-baseline.txt"
if ! command -v valgrind >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then as_root=""; else as_root="sudo"; fi
  $as_root timeout 900 apt-get update -qq
  $as_root env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends valgrind
fi
bash scripts/perf-guard.sh

step "SARIF output against Microsoft's validator (npm)"
bash scripts/validate-sarif.sh

step "installing without cargo: release binaries, the wheel, the GitHub Action"
bash scripts/test-install.sh

for extra in scripts/test-editors.sh; do
  if [ -f "$extra" ]; then
    step "$extra"
    bash "$extra"
  fi
done

step "all tests passed"
