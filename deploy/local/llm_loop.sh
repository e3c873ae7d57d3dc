#!/usr/bin/env bash
# The annotation loop end to end against a real small local LLM (Gemma 3 270M via deploy/local/llm_server.sh),
# on the repository's own fixtures: annotate (self-consistency + self-refine), a debate, a cached re-run (no
# request), label-set expansion with conflicts, Label Studio export -> a scripted review (the reviewer corrects
# every task to the gold spans) -> import, agreement, prompt optimisation. Quality is not the point (270M is weak):
# every request, failure and cache hit is counted in the reports this prints.
# It fails (exit 1, one line on stderr) when the endpoint does not answer GET /models before the first step, and
# at the first step whose `vner annotate` command fails: every document failed, or more than
# VNER_LLM_MAX_FAILED_FRACTION (default 0.5) of them did; partial failure below that is reported with counts.
# With VNER_LLM_BASE_URL set, that endpoint is used and no local server is started.
# Usage: bash deploy/local/llm_loop.sh [OUT_DIR]   (default var/llm-loop; about 20 min on 2 cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. .venv/bin/activate
O="$(realpath -m "${1:-var/llm-loop}")"
mkdir -p "$O"
if [[ -n "${VNER_LLM_BASE_URL:-}" ]]; then
  echo "== using the endpoint $VNER_LLM_BASE_URL (VNER_LLM_BASE_URL is set: no local server started)"
else
  bash deploy/local/llm_server.sh start  # ends with a smoke test: one real chat completion
  trap 'bash deploy/local/llm_server.sh stop' EXIT
  export VNER_LLM_BASE_URL="http://127.0.0.1:${VNER_LLM_PORT:-8089}/v1" VNER_LLM_MODEL=gemma3-270m
fi
# answers are ~50-100 tokens; Gemma 3 270M sometimes repeats itself until max_tokens (1024 took ~130 s on 2
# shared cores, past the 120 s timeout, then retried), so cut it at 256
export VNER_LLM_MAX_TOKENS="${VNER_LLM_MAX_TOKENS:-256}"
code="$(curl -s -o /dev/null --connect-timeout 10 -m 120 -w '%{http_code}' "${VNER_LLM_BASE_URL%/}/models" || true)"
if [[ "$code" == "000" || -z "$code" ]]; then
  echo "llm_loop: LLM endpoint ${VNER_LLM_BASE_URL} unreachable (GET /models got no answer); nothing was run" >&2
  exit 1
fi
STEP=setup
trap 'rc=$?; [[ $rc -eq 0 ]] || echo "llm_loop: stopped at step \"$STEP\" (exit $rc)" >&2' ERR
EX=tests/fixtures/ner_train_vi.jsonl
C=(--cache-dir "$O/cache" --timeout 120)
cat >"$O/labels.yaml" <<'Y'
LOCATION: "địa danh: tỉnh, thành phố, quận, phường, địa chỉ (a place or address)"
PERSON: "tên người (a person's name)"
DATE: "ngày, thứ, tháng, thời điểm (a date or time expression)"
Y
cat >"$O/new_labels.yaml" <<'Y'
ORGANIZATION: "cơ quan, tổ chức, ngân hàng, công ty (an organisation: agency, bank, company)"
Y
python - "$O" <<'P'
import json, sys
from vner.engine.training.corpus import Doc, read_docs, write_docs
out = sys.argv[1]
dev = read_docs("tests/fixtures/ner_dev_vi.jsonl")[:8]
with open(f"{out}/raw.jsonl", "w", encoding="utf-8") as f:
    for d in dev:
        f.write(json.dumps({"id": d.id, "text": d.text}, ensure_ascii=False) + "\n")
no_org = [Doc(d.id, d.text, tuple(s for s in d.spans if s.label != "ORGANIZATION"), d.tokens) for d in dev]
write_docs(no_org, f"{out}/gold.jsonl", "jsonl")  # gold for the three labels the LLM is asked for
P
STEP="annotate run --sc 3 --refine"; echo "== $STEP"
vner annotate run "$O/raw.jsonl" "$O/llm.jsonl" --labels "$O/labels.yaml" --examples $EX --sc 3 --refine "${C[@]}"
STEP="annotate run --debate 2 --rounds 1"; echo "== $STEP"
vner annotate run "$O/raw.jsonl" "$O/llm_debate.jsonl" --labels "$O/labels.yaml" --examples $EX --no-cot --debate 2 --rounds 1 "${C[@]}"
STEP="the same run again: answered from the cache"; echo "== $STEP"
vner annotate run "$O/raw.jsonl" "$O/llm_again.jsonl" --labels "$O/labels.yaml" --examples $EX --sc 3 --refine "${C[@]}"
STEP="expand: ORGANIZATION added to the gold corpus, overlaps reported"; echo "== $STEP"
vner annotate expand "$O/gold.jsonl" "$O/expanded.jsonl" --new-labels "$O/new_labels.yaml" --examples $EX --report "$O/conflicts.json" "${C[@]}"
STEP="Label Studio round trip (scripted review) and agreement"; echo "== $STEP"
vner annotate export-ls "$O/llm.jsonl" "$O/tasks.json"
python - "$O" <<'P'
import json, sys
from vner.engine.training.corpus import read_docs
out = sys.argv[1]
gold = {d.id: d for d in read_docs(f"{out}/gold.jsonl")}
tasks = json.load(open(f"{out}/tasks.json", encoding="utf-8"))
tasks = tasks["tasks"] if isinstance(tasks, dict) else tasks
for t in tasks:  # the reviewer replaces the pre-annotations by the gold spans
    d = gold[t["data"]["vner_id"]]
    t["annotations"] = [{"result": [
        {"id": f"g{i}", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": s.start, "end": s.end, "text": d.text[s.start:s.end], "labels": [s.label]}}
        for i, s in enumerate(d.spans)]}]
json.dump(tasks, open(f"{out}/export.json", "w", encoding="utf-8"), ensure_ascii=False)
P
vner annotate import-ls "$O/export.json" "$O/reviewed.jsonl"
vner annotate agreement "$O/llm.jsonl" "$O/reviewed.jsonl" | tee "$O/agreement.json"
STEP="prompt optimisation on the 8 gold docs"; echo "== $STEP"
rm -f "$O/trials.jsonl"
vner annotate optimize "$O/gold.jsonl" --labels "$O/labels.yaml" --examples $EX --log "$O/trials.jsonl" "${C[@]}"
echo "llm_loop: every step finished; outputs in $O"
