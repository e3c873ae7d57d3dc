#!/usr/bin/env bash
# The README's test command: install everything, start Kafka and Redis with the project's own scripts,
# build the default backbone (cached), run the whole test suite, stop what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
bash deploy/local/install.sh
# shellcheck disable=SC1091
. "${VNER_VENV:-$ROOT/.venv}/bin/activate"
export PATH="$HOME/.cache/vner/bin:$PATH"

started_kafka=0; started_redis=0
cleanup() {
  [[ $started_kafka -eq 1 ]] && bash deploy/local/kafka.sh stop || true
  [[ $started_redis -eq 1 ]] && bash deploy/local/redis.sh stop || true
}
trap cleanup EXIT
if ! bash deploy/local/kafka.sh status >/dev/null 2>&1; then bash deploy/local/kafka.sh start; started_kafka=1; fi
if ! bash deploy/local/redis.sh status >/dev/null 2>&1; then bash deploy/local/redis.sh start; started_redis=1; fi
bash deploy/local/kafka.sh wait
bash deploy/local/redis.sh wait

vner model build-default
ruff check .
mypy
python -m pytest -q -p no:cacheprovider "$@"
