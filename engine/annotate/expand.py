"""Label-set expansion without re-annotation: annotate only the NEW labels with the LLM and merge them into
the existing gold annotation. Existing spans are never changed; a new span that overlaps an existing one is
reported as a conflict, not resolved silently."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .annotator import LLMAnnotator
from .corpus import AnnotatedDoc
from .spans import Span


@dataclass
class Conflict:
    doc_id: str
    new: Span
    existing: Span

    def to_dict(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id,
            "new": [self.new.start, self.new.end, self.new.label],
            "existing": [self.existing.start, self.existing.end, self.existing.label],
        }


@dataclass
class ExpansionReport:
    documents: int = 0
    added: Counter[str] = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    failed_documents: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "added": dict(self.added),
            "conflicts": [c.to_dict() for c in self.conflicts],
            "n_conflicts": len(self.conflicts),
            "failed_documents": self.failed_documents,
        }


def merge_new_spans(doc: AnnotatedDoc, new: Iterable[Span], report: ExpansionReport) -> AnnotatedDoc:
    """``doc`` plus the ``new`` spans that overlap none of its existing spans; overlaps go to the report."""
    existing = list(doc.spans)
    kept: list[Span] = []
    for s in sorted(set(new)):
        clash = next((e for e in existing if s.start < e.end and e.start < s.end), None)
        if clash is not None:
            report.conflicts.append(Conflict(doc.id, s, clash))
            continue
        if any(s.start < k.end and k.start < s.end for k in kept):
            report.conflicts.append(
                Conflict(doc.id, s, next(k for k in kept if s.start < k.end and k.start < s.end))
            )
            continue
        kept.append(s)
        report.added[s.label] += 1
    return AnnotatedDoc(id=doc.id, text=doc.text, spans=sorted(existing + kept), meta=doc.meta)


def expand_labels(
    docs: Iterable[AnnotatedDoc], annotator: LLMAnnotator, new_labels: Mapping[str, str]
) -> tuple[list[AnnotatedDoc], ExpansionReport]:
    """Annotate ``new_labels`` (name → definition) on every doc and merge them without touching gold spans."""
    wanted = {k.upper() for k in new_labels}
    unknown = wanted - set(annotator.labels)
    if unknown:
        raise ValueError(f"the annotator was not built for the new labels {sorted(unknown)}")
    report = ExpansionReport()
    doc_list = list(docs)

    results = annotator.client.map(lambda d: annotator.annotate(d.text), doc_list)
    out = []
    for doc, res in zip(doc_list, results, strict=True):
        if res.failed:
            report.failed_documents += 1
        out.append(merge_new_spans(doc, [s for s in res.spans if s.label in wanted], report))
    report.documents = len(doc_list)
    report.conflicts.sort(key=lambda c: (c.doc_id, c.new))
    return out, report
