"""Prompt construction: label definitions, few-shot examples chosen from annotated data, chain-of-thought
followed by a strict JSON answer. A :class:`PromptVariant` names every knob the optimisation loop tries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import regex

from .spans import Span, spans_to_answer

_WORD = regex.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class PromptVariant:
    """One prompt configuration; ``name`` appears in logs and reports."""

    name: str = "cot-fewshot3"
    n_shots: int = 3
    chain_of_thought: bool = True
    language: str = "vi"  # language of the instructions: vi | en


INSTRUCTIONS = {
    "en": (
        "You annotate named entities in Vietnamese text. Use only these labels:\n{labels}\n"
        "Copy each entity's text exactly as it appears (same diacritics and case). If the same text occurs "
        "several times, say which occurrence (1 = first)."
    ),
    "vi": (
        "Bạn gán nhãn thực thể trong văn bản tiếng Việt. Chỉ dùng các nhãn sau:\n{labels}\n"
        "Chép nguyên văn đoạn thực thể (giữ dấu và chữ hoa). Nếu đoạn đó xuất hiện nhiều lần, ghi rõ lần thứ mấy "
        "(1 = lần đầu)."
    ),
}
COT = (
    "First think step by step inside <reasoning>...</reasoning>: list candidate phrases and decide their labels. "
    "Then give the final answer inside <answer>...</answer> as strict JSON: "
    '{"entities": [{"label": "LABEL", "text": "exact substring", "occurrence": 1}]}'
)
DIRECT = (
    "Answer only with strict JSON inside <answer>...</answer>: "
    '{"entities": [{"label": "LABEL", "text": "exact substring", "occurrence": 1}]}'
)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def select_examples(text: str, pool: Sequence[Example], k: int) -> list[Example]:
    """The ``k`` pool examples sharing most words with ``text`` (ties: pool order) — deterministic."""
    if k <= 0 or not pool:
        return []
    target = _words(text)
    scored = sorted(
        enumerate(pool),
        key=lambda ie: (-len(target & _words(ie[1].text)) / (1 + len(_words(ie[1].text))), ie[0]),
    )
    return [ex for _, ex in scored[:k] if ex.text != text]


def system_prompt(labels: Mapping[str, str], variant: PromptVariant) -> str:
    label_lines = "\n".join(f"- {name}: {definition}" for name, definition in labels.items())
    return (
        INSTRUCTIONS[variant.language].format(labels=label_lines)
        + "\n"
        + (COT if variant.chain_of_thought else DIRECT)
    )


def build_messages(
    text: str, labels: Mapping[str, str], examples: Sequence[Example], variant: PromptVariant
) -> list[dict[str, str]]:
    """Chat messages: system instructions, few-shot user/assistant pairs, then the text to annotate."""
    messages = [{"role": "system", "content": system_prompt(labels, variant)}]
    for ex in select_examples(text, examples, variant.n_shots):
        kept = [s for s in ex.spans if s.label in labels]
        messages.append({"role": "user", "content": f"Text: {ex.text}"})
        reasoning = (
            "<reasoning>Entities found by reading the text.</reasoning>" if variant.chain_of_thought else ""
        )
        messages.append(
            {"role": "assistant", "content": f"{reasoning}<answer>{spans_to_answer(ex.text, kept)}</answer>"}
        )
    messages.append({"role": "user", "content": f"Text: {text}"})
    return messages


def refine_messages(
    base: list[dict[str, str]], text: str, answer_spans: Sequence[Span]
) -> list[dict[str, str]]:
    """Self-refine: show the model its own answer and ask for a critique and a corrected answer."""
    return [
        *base,
        {"role": "assistant", "content": f"<answer>{spans_to_answer(text, list(answer_spans))}</answer>"},
        {
            "role": "user",
            "content": "Review your answer critically: missing entities, wrong boundaries, wrong labels, "
            "phrases that are not in the text. Explain briefly, then give the corrected final answer in "
            "<answer>...</answer> with the same JSON format.",
        },
    ]


def debate_messages(
    base: list[dict[str, str]], text: str, own: Sequence[Span], others: Sequence[Sequence[Span]]
) -> list[dict[str, str]]:
    """One debate round: the agent sees the other agents' answers where they disagree with its own."""
    shown = "\n".join(f"Annotator {i + 1}: {spans_to_answer(text, list(o))}" for i, o in enumerate(others))
    return [
        *base,
        {"role": "assistant", "content": f"<answer>{spans_to_answer(text, list(own))}</answer>"},
        {
            "role": "user",
            "content": "Other annotators answered differently:\n"
            + shown
            + "\nWeigh their evidence against yours. "
            "Keep what you can justify from the text, adopt what convinces you, then give your final answer in "
            "<answer>...</answer> with the same JSON format.",
        },
    ]
