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
# shellcheck source=deploy/local/services_up.sh
. deploy/local/services_up.sh
vner demo "$@"
