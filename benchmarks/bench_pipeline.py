"""Throughput of the hybrid pipeline: rules only, model only and the full pipeline on the same messages.

Messages are synthetic customer-service chats (vner.engine.synth.generator, seeded): speed only, not accuracy. For each
configuration: records/s, ms per record, and the share of time spent in each stage (normalise, rules,
model, merge, post-processing). Writes ``bench_pipeline.json`` and ``bench_pipeline.md`` to ``--out``.

    python benchmarks/bench_pipeline.py --n 500 [--model-dir EXPORT_DIR] [--precision int8]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from vner.engine.pipeline.hybrid import STAGE_NAMES, DomainSpec, Pipeline, Predictor
from vner.engine.synth.generator import SynthConfig, generate

REF_TIME = datetime(2026, 11, 25, 9, 0)


def bench(pipe: Pipeline, texts: list[str], *, domain: str, batch: int, repeat: int) -> dict[str, Any]:
    """Best-of-``repeat`` wall time over all batches, with the per-stage seconds of that run."""
    pipe.process(texts[:batch], domain=domain, ref_time=REF_TIME)  # warm-up: caches, ORT session
    best: tuple[float, dict[str, float], int] | None = None
    for _ in range(repeat):
        stages = dict.fromkeys(STAGE_NAMES, 0.0)
        n_ents = 0
        t0 = time.perf_counter()
        for i in range(0, len(texts), batch):
            out, times = pipe.process_timed(texts[i : i + batch], domain=domain, ref_time=REF_TIME)
            n_ents += sum(len(x) for x in out)
            for k, v in times.seconds.items():
                stages[k] += v
        wall = time.perf_counter() - t0
        if best is None or wall < best[0]:
            best = (wall, stages, n_ents)
    assert best is not None
    wall, stages, n_ents = best
    total = sum(stages.values()) or 1.0
    return {
        "records": len(texts),
        "entities": n_ents,
        "seconds": round(wall, 4),
        "records_per_s": round(len(texts) / wall, 1),
        "ms_per_record": round(1000 * wall / len(texts), 3),
        "stage_share": {k: round(v / total, 4) for k, v in stages.items()},
        "versions": pipe.versions.as_dict(),
    }


def markdown(rows: dict[str, dict[str, Any]], meta: dict[str, Any]) -> str:
    head = "| Configuration | records/s | ms/record | " + " | ".join(f"{s} %" for s in STAGE_NAMES) + " |"
    lines = [
        f"Pipeline throughput on {meta['records']} synthetic messages (batch {meta['batch']}, {meta['cpu']}).",
        "",
        head,
        "|---|---:|---:|" + "---:|" * len(STAGE_NAMES),
    ]
    for name, r in rows.items():
        shares = " | ".join(f"{100 * r['stage_share'][s]:.1f}" for s in STAGE_NAMES)
        lines.append(f"| {name} | {r['records_per_s']:.1f} | {r['ms_per_record']:.3f} | {shares} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500, help="synthetic messages")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--domain", default="customer_service")
    ap.add_argument("--model-dir", default=None, help="`vner export` directory; without it only rules run")
    ap.add_argument("--precision", default="auto", help="auto | fp32 | int8 | fp16")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    args = ap.parse_args(argv)

    from vner.rules.ruleset import RuleSet
    from vner.rules.schema import load_schema

    texts = [r["text"] for r in generate(SynthConfig(n=args.n, seed=args.seed))]
    spec = DomainSpec.from_schema(load_schema(args.domain), RuleSet.for_domain(args.domain))
    doms = {args.domain: spec}
    configs: dict[str, Pipeline] = {"rules only": Pipeline(domains=doms, merge_policy="rules_only.v1")}
    model: Predictor | None = None
    if args.model_dir:
        from vner.engine.runtime.tagger import OnnxTagger

        model = OnnxTagger.from_dir(args.model_dir, precision=args.precision)
        configs["model only"] = Pipeline(
            domains=doms, model=model, merge_policy="model_only.v1", postprocessors=(), use_rules=False
        )
        configs["full pipeline"] = Pipeline(domains=doms, model=model, merge_policy="hint_overlap.v1")
    else:
        print("no --model-dir: measuring the rules-only pipeline only", file=sys.stderr)
    rows = {
        name: bench(p, texts, domain=args.domain, batch=args.batch, repeat=args.repeat)
        for name, p in configs.items()
    }
    meta = {
        "records": len(texts),
        "seed": args.seed,
        "batch": args.batch,
        "repeat": args.repeat,
        "domain": args.domain,
        "cpu": f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}",
        "python": platform.python_version(),
        "model_dir": args.model_dir,
        "precision": getattr(getattr(model, "plan", None), "precision", args.precision) if model else None,
        "note": "synthetic messages: a speed measurement, not an accuracy claim",
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench_pipeline.json").write_text(
        json.dumps({"meta": meta, "results": rows}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    table = markdown(rows, meta)
    (args.out / "bench_pipeline.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
