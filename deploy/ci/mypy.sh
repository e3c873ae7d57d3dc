#!/usr/bin/env bash
# Type-check the one installed package `vner` as it imports (vner.rules, vner.engine, vner.streams).
# The folders rules/, engine/ and streams/ sit at the repository's top level and are mapped into `vner` by
# setuptools' package-dir; mypy cannot follow that mapping (nor the editable install's import hook), so this
# builds a view of symlinks under build/mypy-view/vner and points MYPYPATH at it. Usage: deploy/ci/mypy.sh [ARGS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VIEW="$ROOT/build/mypy-view"
rm -rf "$VIEW"
mkdir -p "$VIEW/vner"
for entry in vner/*; do
  [[ "$(basename "$entry")" == "__pycache__" ]] && continue
  ln -s "$ROOT/$entry" "$VIEW/vner/$(basename "$entry")"
done
for pkg in rules engine streams; do ln -s "$ROOT/$pkg" "$VIEW/vner/$pkg"; done
MYPYPATH="$VIEW" exec mypy "$@"
