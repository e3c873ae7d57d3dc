"""LLM annotation against a scripted local OpenAI-compatible server: every failure is handled and counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vner.engine.annotate.annotator import LLMAnnotator, Techniques, majority
from vner.engine.annotate.client import ChatClient, LLMError, LLMSettings
from vner.engine.annotate.prompts import Example, PromptVariant, build_messages, select_examples
from vner.engine.annotate.spans import ParseErrors, Span, parse_spans

from tests.engine.annotate.conftest import ScriptedServer, answer, last_text

LABELS = {"BANK": "tên ngân hàng", "PRODUCT": "tên sản phẩm"}
TEXT = "Chuyển khoản qua Vietcombank rồi nhé, còn Vietcombank thì tôi không dùng."


def client(srv: ScriptedServer, tmp_path: Path | None = None, **kw: object) -> ChatClient:
    settings = LLMSettings(
        base_url=srv.url,
        model="scripted",
        timeout_s=float(kw.pop("timeout", 2.0)),
        max_retries=int(kw.pop("retries", 1)),
        backoff_s=0.01,
        concurrency=2,
        cache_dir=str(tmp_path) if tmp_path else None,
    )
    return ChatClient(settings)


def test_occurrence_index_picks_the_right_span(llm_server: ScriptedServer) -> None:
    llm_server.handler = lambda p: (200, answer(("BANK", "Vietcombank", 2)), 0)
    res = LLMAnnotator(client(llm_server), LABELS).annotate(TEXT)
    second = TEXT.index("Vietcombank", TEXT.index("Vietcombank") + 1)
    assert res.spans == [Span(second, second + len("Vietcombank"), "BANK")]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("I think the bank is Vietcombank", "malformed_json"),
        ('<answer>{"entities": [{"label": "BANK", "text": "Vietcombank"</answer>', "malformed_json"),
        (answer(("BANK", "Techcombank", 1)), "span_not_found"),
        (answer(("PERSON", "Vietcombank", 1)), "unknown_label"),
        ('<answer>{"entities": ["Vietcombank"]}</answer>', "bad_item"),
    ],
)
def test_bad_answers_are_counted_not_fatal(llm_server: ScriptedServer, content: str, error: str) -> None:
    llm_server.handler = lambda p: (200, content, 0)
    ann = LLMAnnotator(client(llm_server), LABELS)
    res = ann.annotate(TEXT)
    assert res.spans == []
    assert ann.errors[error] == 1


def test_timeouts_are_retried_then_counted(llm_server: ScriptedServer) -> None:
    llm_server.handler = lambda p: (200, answer(("BANK", "Vietcombank", 1)), 1.0)
    c = client(llm_server, timeout=0.2, retries=1)
    ann = LLMAnnotator(c, LABELS)
    res = ann.annotate(TEXT)
    assert res.failed and res.spans == []
    assert c.stats.timeouts == 2 and c.stats.retries == 1
    assert ann.errors["llm_error"] == 1 and ann.errors["document_failed"] == 1


def test_server_errors_retry_and_recover(llm_server: ScriptedServer) -> None:
    calls = {"n": 0}

    def flaky(p: dict) -> tuple[int, str, float]:
        calls["n"] += 1
        return (503, "", 0) if calls["n"] == 1 else (200, answer(("BANK", "Vietcombank", 1)), 0)

    llm_server.handler = flaky
    c = client(llm_server, retries=2)
    assert LLMAnnotator(c, LABELS).annotate(TEXT).spans[0].label == "BANK"
    assert c.stats.retries == 1 and c.stats.http_503 == 1 and c.stats.errors() == {"http_503": 1}


def test_client_error_is_not_retried(llm_server: ScriptedServer) -> None:
    llm_server.handler = lambda p: (401, "", 0)
    c = client(llm_server, retries=3)
    with pytest.raises(LLMError, match="401"):
        c.chat([{"role": "user", "content": "x"}])
    assert c.stats.requests == 1


def test_disk_cache_makes_reruns_free(llm_server: ScriptedServer, tmp_path: Path) -> None:
    llm_server.handler = lambda p: (200, answer(("BANK", "Vietcombank", 1)), 0)
    first = LLMAnnotator(client(llm_server, tmp_path), LABELS).annotate(TEXT).spans
    n = len(llm_server.requests)
    c2 = client(llm_server, tmp_path)
    assert LLMAnnotator(c2, LABELS).annotate(TEXT).spans == first
    assert len(llm_server.requests) == n and c2.stats.cache_hits == 1


def test_self_consistency_majority_vote(llm_server: ScriptedServer) -> None:
    # samples 0 and 2 agree on the bank; sample 1 adds a wrong product; only the majority survives
    def by_seed(p: dict) -> tuple[int, str, float]:
        seed = p.get("seed", 0)
        if seed == 1:
            return 200, answer(("BANK", "Vietcombank", 1), ("PRODUCT", "tôi", 1)), 0
        return 200, answer(("BANK", "Vietcombank", 1)), 0

    llm_server.handler = by_seed
    ann = LLMAnnotator(client(llm_server), LABELS, techniques=Techniques(self_consistency=3))
    res = ann.annotate(TEXT)
    assert [s.label for s in res.spans] == ["BANK"]
    assert len(llm_server.requests) == 3
    assert all(r["temperature"] > 0 for r in llm_server.requests)


def test_self_refine_replaces_the_first_answer(llm_server: ScriptedServer) -> None:
    def h(p: dict) -> tuple[int, str, float]:
        if "Review your answer" in p["messages"][-1]["content"]:
            return 200, answer(("BANK", "Vietcombank", 1), ("BANK", "Vietcombank", 2)), 0
        return 200, answer(("BANK", "Vietcombank", 1)), 0

    llm_server.handler = h
    res = LLMAnnotator(client(llm_server), LABELS, techniques=Techniques(self_refine=True)).annotate(TEXT)
    assert len(res.spans) == 2


def test_debate_reaches_consensus_by_vote(llm_server: ScriptedServer) -> None:
    # three agents: agent seed 101 first disagrees, then is convinced in the debate round
    def h(p: dict) -> tuple[int, str, float]:
        debating = "Other annotators" in p["messages"][-1]["content"]
        if p.get("seed") == 101 and not debating:
            return 200, answer(("PRODUCT", "Vietcombank", 1)), 0
        return 200, answer(("BANK", "Vietcombank", 1)), 0

    llm_server.handler = h
    ann = LLMAnnotator(client(llm_server), LABELS, techniques=Techniques(debate_agents=3, debate_rounds=2))
    res = ann.annotate(TEXT)
    assert [s.label for s in res.spans] == ["BANK"]
    debate_prompts = [r for r in llm_server.requests if "Other annotators" in r["messages"][-1]["content"]]
    assert len(debate_prompts) == 3  # one round, then consensus stops the debate
    assert (
        "PRODUCT" in debate_prompts[0]["messages"][-1]["content"]
        or "PRODUCT" in debate_prompts[1]["messages"][-1]["content"]
    )


def test_majority_needs_more_than_half() -> None:
    a, b = Span(0, 3, "X"), Span(4, 6, "Y")
    kept, votes = majority([[a, b], [a], []], 3)
    assert kept == [a] and votes[b] == 1


def test_few_shot_examples_are_similar_and_rendered() -> None:
    pool = [
        Example("Mua áo ở Shopee", (Span(4, 7, "PRODUCT"),)),
        Example("Chuyển khoản qua Techcombank", (Span(17, 28, "BANK"),)),
    ]
    assert select_examples("chuyển khoản qua BIDV", pool, 1)[0].text.startswith("Chuyển")
    msgs = build_messages("chuyển khoản qua BIDV", LABELS, pool, PromptVariant(n_shots=1))
    assert msgs[0]["role"] == "system" and "BANK: tên ngân hàng" in msgs[0]["content"]
    assert '"text": "Techcombank"' in msgs[2]["content"]
    assert msgs[-1]["content"] == "Text: chuyển khoản qua BIDV"


def test_parse_accepts_code_fence_and_bare_list() -> None:
    errs = ParseErrors()
    fenced = "```json\n" + json.dumps([{"label": "bank", "text": "Vietcombank"}]) + "\n```"
    spans = parse_spans(fenced, TEXT, set(LABELS), errs)
    assert spans is not None and spans[0].label == "BANK" and not errs


def test_last_text_helper_reads_the_prompt() -> None:
    msgs = build_messages("abc", LABELS, [], PromptVariant(n_shots=0))
    assert last_text({"messages": msgs}) == "abc"
