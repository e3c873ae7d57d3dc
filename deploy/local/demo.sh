#!/usr/bin/env bash
# The README's first command: install what the demo needs, start Kafka and Redis, build the demo model if it
# is not cached, stream the bundled sample messages through the real processor, print the enriched records,
# then stop everything this script started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
bash deploy/local/install.sh --light
# shellcheck disable=SC1091
. "${VNER_VENV:-$ROOT/.venv}/bin/activate"
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
vner demo "$@"
