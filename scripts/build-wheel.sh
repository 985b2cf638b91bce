#!/usr/bin/env bash
# Builds the Python wheel `aam-lint` (pyproject.toml: maturin, bindings = "bin")
# around the static musl binary, so one wheel serves every linux x86_64
# (tagged manylinux and musllinux, as maturin ships itself), into
# target/wheels/. maturin comes from PyPI into target/tools-venv, with PyYAML
# for scripts/run-action.py.
#
#   scripts/build-wheel.sh        prints the wheel's path last
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

MATURIN=maturin==1.16.0
target=x86_64-unknown-linux-musl
tools=$root/target/tools-venv
if [ ! -x "$tools/bin/maturin" ]; then
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install --disable-pip-version-check --quiet "$MATURIN" pyyaml==6.0.3
fi
if ! command -v musl-gcc >/dev/null; then
  echo "error: musl-gcc is missing; scripts/release.sh installs it" >&2
  exit 1
fi
export CC_x86_64_unknown_linux_musl=musl-gcc
rm -rf target/wheels
timeout 3600 "$tools/bin/maturin" build --locked --target "$target" \
  --compatibility manylinux2014 --compatibility musllinux_1_2 --out target/wheels >&2
ls target/wheels/aam_lint-*.whl
