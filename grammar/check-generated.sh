#!/usr/bin/env bash
# Checks that the committed src/ (parser.c, grammar.json, node-types.json,
# tree_sitter/*.h) is what `tree-sitter generate` makes from grammar.js.
# Regenerates into a temporary copy of grammar/ and diffs; exits 1 on a
# difference, 0 when current. Skips (exit 0, with a message) when the
# tree-sitter CLI is not installed, unless REQUIRE_TREE_SITTER=1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if ! command -v tree-sitter >/dev/null 2>&1; then
  if [[ "${REQUIRE_TREE_SITTER:-0}" == 1 ]]; then
    echo "check-generated: tree-sitter CLI not found" >&2
    exit 1
  fi
  echo "check-generated: tree-sitter CLI not found, skipped"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp -R "$here/grammar.js" "$here/tree-sitter.json" "$here/package.json" "$tmp/"
mkdir -p "$tmp/src"
cp "$here/src/scanner.c" "$tmp/src/"
(cd "$tmp" && tree-sitter generate --js-runtime native >/dev/null 2>"$tmp/generate.log") || {
  cat "$tmp/generate.log" >&2
  echo "check-generated: tree-sitter generate failed" >&2
  exit 1
}

status=0
for f in parser.c grammar.json node-types.json tree_sitter/parser.h tree_sitter/alloc.h tree_sitter/array.h; do
  if ! diff -q "$here/src/$f" "$tmp/src/$f" >/dev/null 2>&1; then
    echo "check-generated: src/$f is stale; run \`tree-sitter generate\` in grammar/ and commit src/" >&2
    diff -u "$here/src/$f" "$tmp/src/$f" | head -20 >&2 || true
    status=1
  fi
done
if [[ $status == 0 ]]; then
  echo "check-generated: src/ matches grammar.js ($(tree-sitter --version))"
fi
exit $status
