#!/usr/bin/env bash
# Builds the binaries aam ships: stripped, thin-LTO (`--profile dist`) builds
# for linux x86_64 with glibc and with musl (static), each checked (it runs,
# names its commit, finds the example article's findings; the musl one links
# nothing dynamically; neither exceeds the size limit), packed as
#   target/release-artifacts/aam-VERSION-TARGET.tar.gz (+ .sha256)
# with the README and licences. Used by scripts/test-install.sh and CI.
#
#   scripts/release.sh [TARGET...]   default: x86_64-unknown-linux-gnu x86_64-unknown-linux-musl
#   AAM_MAX_BINARY_MB=12             the size limit, in MiB
#
# Installs what is missing: Debian's musl-tools (musl-gcc, for the C code of
# tree-sitter and jemalloc) and the musl target's standard library (rustup).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

max_mb=${AAM_MAX_BINARY_MB:-12}
out=$root/target/release-artifacts
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
if [ "$#" -gt 0 ]; then targets=("$@"); else
  targets=(x86_64-unknown-linux-gnu x86_64-unknown-linux-musl)
fi
mkdir -p "$out"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "error: need root for: $*" >&2; exit 2
  fi
}

for target in "${targets[@]}"; do
  printf '\n-- release: %s\n' "$target"
  case $target in
    *-musl)
      if ! command -v musl-gcc >/dev/null; then
        as_root timeout 900 apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends musl-tools
      fi
      if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx "$target"; then
        timeout 900 rustup target add "$target"
      fi
      export CC_x86_64_unknown_linux_musl=musl-gcc
      ;;
  esac

  timeout 3600 cargo build --locked --profile dist --target "$target" --bin aam
  binary=$root/target/$target/dist/aam

  # It runs, and names the commit it was built from.
  "$binary" --version
  # It finds the example article's findings (exit 1: some are errors).
  status=0
  "$binary" check --output-format concise examples/harbour-report.aam >"$out/check-$target.txt" || status=$?
  if [ "$status" -ne 1 ] || ! grep -q 'error\[AAM' "$out/check-$target.txt"; then
    echo "error: $binary check examples/harbour-report.aam exited $status without the example's errors" >&2
    exit 1
  fi
  # The static one needs no loader and no libc of the machine.
  case $target in
    *-musl)
      if readelf -l "$binary" | grep -q 'INTERP'; then
        echo "error: $binary asks for a dynamic loader; it should be static" >&2
        exit 1
      fi
      if readelf -d "$binary" 2>/dev/null | grep -q 'NEEDED'; then
        echo "error: $binary needs shared libraries:" >&2
        readelf -d "$binary" | grep NEEDED >&2
        exit 1
      fi
      ;;
  esac
  bytes=$(stat -c %s "$binary")
  printf 'size: %s bytes (%s MiB); limit %s MiB\n' "$bytes" "$((bytes / 1048576))" "$max_mb"
  if [ "$bytes" -gt $((max_mb * 1048576)) ]; then
    echo "error: $binary is larger than $max_mb MiB" >&2
    exit 1
  fi

  name=aam-$version-$target
  rm -rf "${out:?}/$name"
  mkdir -p "$out/$name"
  cp "$binary" README.md LICENSE-MIT LICENSE-APACHE "$out/$name/"
  tar -C "$out" -czf "$out/$name.tar.gz" "$name"
  (cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
  printf '%s\t%s\n' "$target" "$bytes" >>"$out/sizes.tsv"
  ls -l "$out/$name.tar.gz"
done
