#!/usr/bin/env bash
# Install what deploy/image.sh needs to build and run the images without a Docker daemon: Debian's podman,
# runc and mmdebstrap (apt-get, non-interactive), and the one containers.conf setting podman needs here.
# Idempotent: installed packages and an existing setting are left alone.
#
#   default_ulimits = []   under [containers]: crun/runc cannot raise RLIMIT_NOFILE inside this kind of
#                          sandbox, so podman must not ask for it on every container.
# (crun refuses the hybrid cgroup layout: image.sh calls `podman --runtime runc`.)
set -euo pipefail
CONF="${CONTAINERS_CONF_FILE:-/etc/containers/containers.conf}"
log() { printf '[install_podman] %s\n' "$*" >&2; }
if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi

missing=()
for tool in podman runc mmdebstrap; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
else
  log "podman, runc, mmdebstrap: present"
fi

if [[ -f "$CONF" ]] && grep -Eq '^[[:space:]]*default_ulimits[[:space:]]*=[[:space:]]*\[\]' "$CONF"; then
  log "$CONF: default_ulimits = [] already set"
else
  log "$CONF: setting default_ulimits = [] under [containers]"
  $SUDO mkdir -p "$(dirname "$CONF")"
  tmp="$(mktemp)"
  if [[ -f "$CONF" ]] && grep -q '^\[containers\]' "$CONF"; then
    # drop any other default_ulimits line, then add ours right after the section header
    grep -Ev '^[[:space:]]*default_ulimits[[:space:]]*=' "$CONF" \
      | awk '{ print } /^\[containers\]/ { print "default_ulimits = []" }' >"$tmp"
  else
    { [[ -f "$CONF" ]] && cat "$CONF"; printf '\n[containers]\ndefault_ulimits = []\n'; } >"$tmp"
  fi
  $SUDO install -m 0644 "$tmp" "$CONF"
  rm -f "$tmp"
fi
podman --version
