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

# the real local LLM server too, for tests/engine/annotate/test_real_llm.py (VNER_WITH_LLM=0 to leave it out)
export VNER_WITH_LLM="${VNER_WITH_LLM:-1}"
# shellcheck source=deploy/local/services_up.sh
. deploy/local/services_up.sh

vner model build-default
ruff check .
ruff format --check .
bash deploy/ci/mypy.sh
python -m pytest -q -p no:cacheprovider "$@"
