#!/usr/bin/env bash
# Redis (Debian's redis-server) on 127.0.0.1:6379 for tests, CI and the demo.
# Usage: deploy/local/redis.sh install|start|stop|restart|status|wait
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="${VNER_VAR_DIR:-$ROOT/var}/redis"
PORT="${VNER_REDIS_PORT:-6379}"
PIDFILE="$VAR/redis.pid"
CONF="$VAR/redis.conf"

log() { echo "[redis.sh] $*" >&2; }

install() {
  if command -v redis-server >/dev/null; then log "redis-server present: $(redis-server --version | cut -d' ' -f3)"; return 0; fi
  log "installing Debian's redis-server"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server >/dev/null
  fi
  # Debian's package may start a system instance on 6379; ours manages its own process.
  (service redis-server stop || true) >/dev/null 2>&1
}

write_config() {
  mkdir -p "$VAR"
  cat >"$CONF" <<CONF
bind 127.0.0.1
port $PORT
protected-mode yes
daemonize yes
pidfile $PIDFILE
dir $VAR
logfile $VAR/redis.log
save ""
appendonly no
maxmemory 256mb
maxmemory-policy allkeys-lru
CONF
}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
ready() { redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; }

wait_ready() {
  local deadline=$(( $(date +%s) + ${1:-20} ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ready; then log "ready on 127.0.0.1:$PORT"; return 0; fi
    sleep 0.2
  done
  log "not ready after ${1:-20}s; see $VAR/redis.log"; return 1
}

start() {
  if ready; then log "already answering on 127.0.0.1:$PORT"; return 0; fi
  install
  write_config
  redis-server "$CONF"
  wait_ready 20
}

stop() {
  if ! running; then rm -f "$PIDFILE"; log "not running"; return 0; fi
  local pid; pid="$(cat "$PIDFILE")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
  log "stopped"
}

status() {
  if ready; then echo "redis: running on 127.0.0.1:$PORT"; return 0; fi
  echo "redis: stopped"; return 3
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  wait) wait_ready "${2:-20}" ;;
  *) echo "usage: $0 install|start|stop|restart|status|wait [seconds]" >&2; exit 2 ;;
esac
