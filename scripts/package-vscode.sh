#!/usr/bin/env bash
# Builds the platform-specific VS Code extension, target/editors/aam-linux-x64.vsix:
# the extension with the static aam binary in bin/aam (`vsce package --target
# linux-x64`, as rust-analyzer and ruff ship), so that installing it is all a
# user does. The binary is the one scripts/release.sh builds for
# x86_64-unknown-linux-musl (built here when missing) or the one given.
#
#   scripts/package-vscode.sh [BINARY]     prints the .vsix's path last
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

binary=${1:-$root/target/x86_64-unknown-linux-musl/dist/aam}
if [ "$#" -eq 0 ]; then
  bash scripts/release.sh x86_64-unknown-linux-musl >&2
fi
[ -x "$binary" ] || { echo "error: $binary is not an executable" >&2; exit 1; }
out=$root/target/editors
mkdir -p "$out"
vsix=$out/aam-linux-x64.vsix

cd editors/vscode
trap 'rm -rf "$root/editors/vscode/bin"' EXIT
if [ ! -d node_modules ]; then
  timeout 900 npm ci --no-audit --no-fund --loglevel=error >&2
fi
timeout 300 npx --no-install tsc -p ./ >&2
rm -rf bin
mkdir -p bin
cp "$binary" bin/aam
chmod 755 bin/aam
timeout 300 npx --no-install vsce package --target linux-x64 --allow-missing-repository \
  --no-rewrite-relative-links -o "$vsix" </dev/null | grep -v -e '^ *[│├└]' -e '^$' >&2
# The binary is inside, executable.
if ! unzip -Z "$vsix" extension/bin/aam | grep -q '^-rwx'; then
  echo "error: $vsix does not carry an executable extension/bin/aam" >&2
  exit 1
fi
ls "$vsix"
