#!/usr/bin/env bash
# Build and smoke-test the worker images (deploy/Dockerfile.cpu, deploy/Dockerfile.gpu) for real.
#
# Usage: deploy/image.sh build cpu|gpu     build vner:<version>-<variant> (the Helm chart's default image)
#        deploy/image.sh smoke cpu|gpu     build (cached layers reused), then run it and check it (see below)
#        deploy/image.sh base              make (or reuse) the Debian base image only
#        deploy/image.sh tag cpu|gpu       print the image name:tag (no engine needed)
#
# Engine: podman when installed (bash deploy/ci/install_podman.sh), else a docker whose daemon answers;
# VNER_CONTAINER_ENGINE=podman|docker picks one. podman runs with `--runtime runc` (crun refuses the hybrid
# cgroup layout of some hosts) and builds in docker format (OCI images drop HEALTHCHECK).
#
# Base image: the Dockerfiles' defaults (python:3.11-slim, the CUDA runtime image) when present or pullable;
# otherwise a base made from Debian packages (mmdebstrap bookworm minbase + python3, python3-venv), imported as
# localhost/vner-base:bookworm and reused by later builds. VNER_IMAGE_BASE=auto|debian|public (default auto:
# a base already present wins, then a pull is tried once, then the Debian base is made).
#
# Context: the working tree (VNER_IMAGE_CONTEXT=head: the committed tree, via git archive HEAD).
# Build cache: layers are reused by the engine; with podman the host's pip cache ($PIP_CACHE_DIR or
# ~/.cache/pip) is mounted into the build so a rebuilt pip layer downloads nothing it has seen before.
#
# smoke cpu: Kafka and Redis started with deploy/local/ (left running if they already were), the image run as
#   uid 10001 with a read-only root FS, tmpfs /tmp and cache, the demo model mounted read-only when it exists
#   (else rules-only), host network; sample messages published, enriched records read back (read_committed),
#   the image's HEALTHCHECK command and /metrics checked, SIGTERM stop with exit 0; last line: records + size.
# smoke gpu: in the GPU image, CUDAExecutionProvider is listed, the CUDA provider's libraries all resolve, and
#   with no device the worker starts on a model and falls back to the CPU with a log line saying so.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)"
REPO="${VNER_IMAGE_REPO:-vner}"
DEBIAN_BASE="${VNER_DEBIAN_BASE:-localhost/vner-base:bookworm}"
SUITE="${VNER_DEBIAN_SUITE:-bookworm}"
PULL_TIMEOUT="${VNER_PULL_TIMEOUT:-60}"

log() { printf '[image.sh] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ENGINE=()
pick_engine() {
  local want="${VNER_CONTAINER_ENGINE:-}"
  if [[ -z "$want" ]]; then
    if command -v podman >/dev/null 2>&1; then
      want=podman
    elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
      want=docker
    else
      die "no container engine: install podman (bash deploy/ci/install_podman.sh) or start a docker daemon"
    fi
  fi
  case "$want" in
    podman)
      command -v podman >/dev/null 2>&1 || die "podman not installed: bash deploy/ci/install_podman.sh"
      ENGINE=(podman)
      if command -v runc >/dev/null 2>&1; then ENGINE+=(--runtime runc); fi
      ;;
    docker) ENGINE=(docker) ;;
    *) die "VNER_CONTAINER_ENGINE must be podman or docker, not $want" ;;
  esac
}
is_podman() { [[ "${ENGINE[0]}" == podman ]]; }
have_image() { "${ENGINE[@]}" image inspect "$1" >/dev/null 2>&1; }

# The default value of `ARG NAME=...` in a Dockerfile.
dockerfile_default() { sed -n "s/^ARG $2=\(.*\)/\1/p" "$1" | head -n1; }

make_debian_base() {
  if have_image "$DEBIAN_BASE"; then
    log "base: $DEBIAN_BASE (cached)"
    return 0
  fi
  command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap not installed: bash deploy/ci/install_podman.sh"
  local tmp t0=$SECONDS
  tmp="$(mktemp -d)"
  log "base: mmdebstrap $SUITE minbase + python3, python3-venv -> $DEBIAN_BASE"
  # no man pages, docs (copyright kept) or translations: they would only make every image bigger
  mmdebstrap --quiet --variant=minbase --include=python3,python3-venv \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    "$SUITE" "$tmp/rootfs.tar"
  "${ENGINE[@]}" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' \
    "$tmp/rootfs.tar" "$DEBIAN_BASE" >/dev/null
  rm -rf "$tmp"
  log "base: $DEBIAN_BASE made in $((SECONDS - t0)) s"
}

# Echo the base image to build on: the Dockerfile's default when usable here, else the Debian base.
choose_base() {
  local public="$1" mode="${VNER_IMAGE_BASE:-auto}"
  case "$mode" in
    public) echo "$public"; return 0 ;;
    debian) make_debian_base; echo "$DEBIAN_BASE"; return 0 ;;
    auto) ;;
    *) die "VNER_IMAGE_BASE must be auto, debian or public, not $mode" ;;
  esac
  if have_image "$public"; then echo "$public"; return 0; fi
  if have_image "$DEBIAN_BASE"; then log "base: $DEBIAN_BASE (cached)"; echo "$DEBIAN_BASE"; return 0; fi
  log "base: trying to pull $public (at most ${PULL_TIMEOUT}s)"
  if timeout "$PULL_TIMEOUT" "${ENGINE[@]}" pull -q "$public" >/dev/null 2>&1; then
    echo "$public"
    return 0
  fi
  log "base: $public cannot be pulled here; making one from Debian packages"
  make_debian_base
  echo "$DEBIAN_BASE"
}

# The host's pip settings that a build needs to reach the same index (a TLS-intercepting proxy's CA bundle,
# PIP_INDEX_URL...) as a pip.conf mounted at /etc/pip.conf during the build only (never in an image layer).
PIP_CONF_DIR=""
host_pip_conf() {
  local cert="${PIP_CERT:-}" index="${PIP_INDEX_URL:-}" extra="${PIP_EXTRA_INDEX_URL:-}" py
  py="$(command -v python3 || true)"
  if [[ -z "$cert" && -n "$py" ]]; then cert="$("$py" -m pip config get global.cert 2>/dev/null || true)"; fi
  if [[ -z "$index" && -n "$py" ]]; then index="$("$py" -m pip config get global.index-url 2>/dev/null || true)"; fi
  [[ -n "$cert" && ! -f "$cert" ]] && cert=""
  [[ -z "$cert" && -z "$index" && -z "$extra" ]] && return 0
  PIP_CONF_DIR="$(mktemp -d)"
  {
    echo "[global]"
    if [[ -n "$cert" ]]; then
      cp "$cert" "$PIP_CONF_DIR/ca.pem"
      echo "cert = /etc/ssl/certs/vner-build-ca.pem"
    fi
    [[ -n "$index" ]] && echo "index-url = $index"
    [[ -n "$extra" ]] && echo "extra-index-url = $extra"
  } >"$PIP_CONF_DIR/pip.conf"
  chmod -R a+rX "$PIP_CONF_DIR"
  log "build: the host's pip settings (${cert:+CA bundle }${index:+index }${extra:+extra index}) mounted at /etc/pip.conf"
}

image_tag() { echo "$REPO:$VERSION-$1"; }

build() {
  local variant="$1" file="deploy/Dockerfile.$1" arg public base t0=$SECONDS
  case "$variant" in
    cpu) arg=PYTHON_IMAGE ;;
    gpu) arg=CUDA_IMAGE ;;
    *) die "variant must be cpu or gpu, not $variant" ;;
  esac
  public="$(dockerfile_default "$file" "$arg")"
  base="$(choose_base "$public")"
  local cmd=("${ENGINE[@]}" build -f "$file" -t "$(image_tag "$variant")" --build-arg "$arg=$base")
  if is_podman; then
    local pip_cache="${PIP_CACHE_DIR:-$HOME/.cache/pip}"
    mkdir -p "$pip_cache"
    cmd+=(--format docker --network host --layers --volume "$pip_cache:/root/.cache/pip"
      --build-arg BUILD_PIP_CACHE=--cache-dir=/root/.cache/pip)
    host_pip_conf
    if [[ -n "$PIP_CONF_DIR" ]]; then
      cmd+=(--volume "$PIP_CONF_DIR/pip.conf:/etc/pip.conf:ro")
      [[ -f "$PIP_CONF_DIR/ca.pem" ]] && cmd+=(--volume "$PIP_CONF_DIR/ca.pem:/etc/ssl/certs/vner-build-ca.pem:ro")
    fi
  else
    cmd+=(--network host)
  fi
  # VNER_IMAGE_CONTEXT=head builds the committed tree (git archive HEAD), not the working tree with its edits
  local ctx="." ctx_tmp=""
  if [[ "${VNER_IMAGE_CONTEXT:-worktree}" == head ]]; then
    ctx_tmp="$(mktemp -d)"
    git archive HEAD | tar -x -C "$ctx_tmp"
    ctx="$ctx_tmp"
    cmd[${#ENGINE[@]} + 2]="$ctx/$file"
    log "build: context = git HEAD $(git rev-parse --short HEAD)"
  fi
  log "build: ${cmd[*]} $ctx"
  local rc=0
  "${cmd[@]}" "$ctx" >&2 || rc=$?
  [[ -n "$PIP_CONF_DIR" ]] && rm -rf "$PIP_CONF_DIR"
  [[ -n "$ctx_tmp" ]] && rm -rf "$ctx_tmp"
  ((rc == 0)) || die "build of $(image_tag "$variant") failed (exit $rc)"
  log "build: $(image_tag "$variant") on $base in $((SECONDS - t0)) s, $(image_size "$variant")"
}

image_size() {
  local bytes
  bytes="$("${ENGINE[@]}" image inspect --format '{{.Size}}' "$(image_tag "$1")")"
  awk -v b="$bytes" 'BEGIN { printf "%.0f MB", b / 1000000 }'
}

# The project's venv (confluent-kafka) runs the smoke helper on the host; made by install.sh when missing.
host_python() {
  local py="${VNER_VENV:-$ROOT/.venv}/bin/python"
  if [[ ! -x "$py" ]] || ! "$py" -c 'import confluent_kafka' 2>/dev/null; then
    log "smoke: no project venv with confluent-kafka at $py: bash deploy/local/install.sh --light"
    bash deploy/local/install.sh --light >&2
  fi
  echo "$py"
}

# Kafka and Redis (deploy/local/): started unless they already run; stopped on exit only if this script started
# them (a service that a status check missed but that `start` finds running is not ours to stop).
STARTED=()
services_down() {
  local svc
  for svc in "${STARTED[@]}"; do bash "deploy/local/$svc.sh" stop >&2 || true; done
}
services_up() {
  local svc out
  trap services_down EXIT
  for svc in kafka redis; do
    if ! bash "deploy/local/$svc.sh" status >/dev/null 2>&1; then
      out="$(bash "deploy/local/$svc.sh" start 2>&1)" || { printf '%s\n' "$out" >&2; die "$svc did not start"; }
      printf '%s\n' "$out" >&2
      grep -Eqi "already (running|answering)" <<<"$out" || STARTED+=("$svc")
    fi
    bash "deploy/local/$svc.sh" wait >&2
  done
}

smoke() {
  local variant="$1" py
  build "$variant"
  py="$(host_python)"
  bash deploy/local/kafka.sh install >&2
  services_up
  VNER_ENGINE_CMD="${ENGINE[*]}" VNER_IMAGE="$(image_tag "$variant")" VNER_IMAGE_SIZE="$(image_size "$variant")" \
    "$py" deploy/local/image_smoke.py "$variant"
}

main() {
  local cmd="${1:-}" variant="${2:-}"
  case "$cmd" in
    build | smoke)
      [[ "$variant" == cpu || "$variant" == gpu ]] || die "usage: $0 $cmd cpu|gpu"
      pick_engine
      if [[ "$cmd" == build ]]; then build "$variant"; else smoke "$variant"; fi
      ;;
    base) pick_engine; make_debian_base ;;
    tag)
      [[ "$variant" == cpu || "$variant" == gpu ]] || die "usage: $0 tag cpu|gpu"
      image_tag "$variant"
      ;;
    *) die "usage: $0 build|smoke|tag cpu|gpu, or $0 base" ;;
  esac
}
main "$@"
