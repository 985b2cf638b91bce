#!/usr/bin/env bash
# Installs aam the ways its users do, without cargo, and runs the example
# check with each (called by scripts/test-all.sh):
#   1. the release binaries (scripts/release.sh): each tarball unpacked into a
#      clean directory and run with a PATH that has no cargo and no aam;
#   2. the Python wheel (scripts/build-wheel.sh) installed with pip into a
#      fresh virtual environment, `aam` run from its bin/;
#   3. the GitHub Action (action.yml): its steps run here by
#      scripts/run-action.py with the wheel as its package — the check fails on
#      the example's errors with `::error` annotations, and passes with
#      `--exit-zero`.
#
#   AAM_RELEASE_TARGETS="x86_64-unknown-linux-gnu x86_64-unknown-linux-musl"
#       the release targets; default: the static musl one, which the wheel and
#       the .vsix carry (the glibc build is the same code: CI skips it for time)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n-- install: %s (%ss)\n' "$1" "$SECONDS"; }
fail() { printf '\nerror: %s\n' "$*" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
clean_path=/usr/bin:/bin
example=$root/examples/harbour-report.aam

# `aam check` of the example: exit 1, with the example's AAM202 error.
expect_example_findings() {
  local aam=$1 status=0
  env -i HOME="$scratch" PATH="$clean_path" "$aam" check --output-format concise "$example" >"$scratch/out.txt" 2>&1 || status=$?
  [ "$status" -eq 1 ] || fail "$aam check exited $status, not 1: $(cat "$scratch/out.txt")"
  grep -q 'error\[AAM202\]' "$scratch/out.txt" || fail "$aam check did not report the example's AAM202: $(cat "$scratch/out.txt")"
  printf '%s: %s findings\n' "$aam" "$(wc -l <"$scratch/out.txt")"
}

step "release binaries"
# shellcheck disable=SC2086 # a list of targets
bash scripts/release.sh ${AAM_RELEASE_TARGETS:-x86_64-unknown-linux-musl}
for tarball in target/release-artifacts/aam-*.tar.gz; do
  dir=$scratch/$(basename "$tarball" .tar.gz)
  mkdir -p "$dir"
  tar -C "$dir" --strip-components=1 -xzf "$tarball"
  (cd target/release-artifacts && sha256sum --quiet -c "$(basename "$tarball").sha256")
  env -i PATH="$clean_path" "$dir/aam" --version
  expect_example_findings "$dir/aam"
done

step "Python wheel (pip, fresh virtual environment)"
wheel=$(bash scripts/build-wheel.sh | tail -n 1)
[ -f "$wheel" ] || fail "no wheel was built"
ls -l "$wheel"
python3 -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install --disable-pip-version-check --quiet "$wheel"
[ -x "$scratch/venv/bin/aam" ] || fail "pip install $wheel put no aam in the environment's bin/"
env -i PATH="$scratch/venv/bin:$clean_path" aam --version
expect_example_findings "$scratch/venv/bin/aam"

step "GitHub Action (action.yml, its steps run here)"
tools_python=$root/target/tools-venv/bin/python
status=0
"$tools_python" scripts/run-action.py action.yml --workspace "$root" \
  --input "package=$wheel" --input "args=examples/harbour-report.aam" >"$scratch/action.txt" 2>&1 || status=$?
cat "$scratch/action.txt"
[ "$status" -eq 1 ] || fail "the action exited $status on the example, not 1"
grep -q '^::error file=examples/harbour-report.aam,line=[0-9]*,col=[0-9]*,.*title=aam (AAM202)::' "$scratch/action.txt" ||
  fail "the action printed no ::error annotation for the example"
"$tools_python" scripts/run-action.py action.yml --workspace "$root" \
  --input "package=$wheel" --input "args=--exit-zero examples/harbour-report.aam" >"$scratch/action.txt" 2>&1 ||
  fail "the action with --exit-zero failed: $(cat "$scratch/action.txt")"

step "all installs work"
