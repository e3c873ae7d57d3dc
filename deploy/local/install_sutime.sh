#!/usr/bin/env bash
# Install SUTime for vner's English temporal adapter (rules/recognizers/sutime_adapter.py):
#   1. pip-installs PyPI `sutime` (and JPype1) into the active venv (or $ROOT/.venv),
#   2. fetches the CoreNLP 4.0.0 jars it needs from Maven Central into a cache directory
#      (default ~/.cache/vner/sutime/jars; override with VNER_SUTIME_JARS).
# Idempotent: both steps are skipped when already done. Needs Java 11+ and Maven (mvn) on PATH.
# Usage: deploy/local/install_sutime.sh [--force]   (--force re-fetches the jars)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1
SUTIME_VERSION="1.0.1"
JARS="${VNER_SUTIME_JARS:-${XDG_CACHE_HOME:-$HOME/.cache}/vner/sutime/jars}"
REQUIRED=(stanford-corenlp-4.0.0.jar stanford-corenlp-4.0.0-models.jar gson-2.8.6.jar slf4j-simple-1.7.30.jar)

say() { printf '[install_sutime] %s\n' "$*"; }

if [[ -n "${VIRTUAL_ENV:-}" ]]; then
  PY="$VIRTUAL_ENV/bin/python"
elif [[ -x "$ROOT/.venv/bin/python" ]]; then
  PY="$ROOT/.venv/bin/python"
else
  echo "install_sutime: no active venv and no $ROOT/.venv; activate one first" >&2
  exit 2
fi

for tool in java mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install_sutime: '$tool' not found on PATH (Debian: apt-get install -y openjdk-17-jre-headless maven)" >&2
    exit 2
  fi
done

if "$PY" -c "import importlib.metadata as m, sys; sys.exit(m.version('sutime') != '$SUTIME_VERSION')" 2>/dev/null; then
  say "sutime $SUTIME_VERSION already installed in $("$PY" -c 'import sys; print(sys.prefix)')"
else
  say "pip install sutime==$SUTIME_VERSION"
  "$PY" -m pip install -q "sutime==$SUTIME_VERSION"
fi

# find the package directory without importing it (importing sutime changes the socket default timeout)
PKG="$("$PY" -c "import importlib.util, pathlib; print(pathlib.Path(importlib.util.find_spec('sutime').origin).parent)")"
[[ -f "$PKG/pom.xml" ]] || { echo "install_sutime: $PKG/pom.xml missing; reinstall sutime" >&2; exit 2; }

missing=()
for jar in "${REQUIRED[@]}"; do
  [[ -s "$JARS/$jar" ]] || missing+=("$jar")
done
if [[ $FORCE -eq 0 && ${#missing[@]} -eq 0 ]]; then
  say "CoreNLP jars already in $JARS"
else
  say "fetching CoreNLP jars with Maven into $JARS (the models jar is several hundred MB; first run takes minutes)"
  mkdir -p "$(dirname "$JARS")"
  TMP="$JARS.partial"
  rm -rf "$TMP"
  mvn -B -q dependency:copy-dependencies -f "$PKG/pom.xml" -DoutputDirectory="$TMP" -DincludeScope=runtime
  for jar in "${REQUIRED[@]}"; do
    [[ -s "$TMP/$jar" ]] || { echo "install_sutime: Maven finished but $jar is missing in $TMP" >&2; exit 1; }
  done
  rm -rf "$JARS"
  mv "$TMP" "$JARS"
fi
say "done: VNER_SUTIME_JARS=$JARS ($(du -sh "$JARS" | cut -f1))"
