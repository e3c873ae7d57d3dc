"""Speed of the NER model, five ways, on the same sentences and weights (one process per method).

Methods: the Hugging Face ``pipeline`` called per sentence (what a user would write), the same pipeline
with ``batch_size``, torch batched (:class:`vner.engine.runtime.torch_tagger.TorchTagger`, length-bucketed), ONNX
Runtime fp32 and int8 (:class:`vner.engine.runtime.tagger.OnnxTagger`, token-budget batches; int8 by default runs
each sequence of a batch alone, and ``ort_int8_mixed`` shows the padded batch it replaced) and int8 one
sentence per call (streaming latency). Each method runs in its own subprocess so peak RSS is its own. Reports
sentences/s, ms per call p50/p99 (a call is one sentence or one batch), load time, peak RSS, speed-up
over the per-sentence pipeline. Writes ``<name>.json`` and ``<name>.md`` to ``--out``.

    python benchmarks/bench_model.py --model MODEL_DIR --export EXPORT_DIR [--sentences FILE | --n 300]

``--sentences``: ``.txt`` (one a line) or a corpus file ``vner.engine.training.corpus.read_docs`` reads; without it a
seeded synthetic sample (vner.engine.synth.generator) is used. Only numbers are written, never the sentences.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

METHODS: tuple[str, ...] = (
    "pipeline",
    "pipeline_batch",
    "torch_batch",
    "ort_fp32",
    "ort_int8",
    "ort_int8_mixed",
    "ort_int8_b1",
)
LABELS = {
    "pipeline": "HF pipeline, per sentence",
    "pipeline_batch": "HF pipeline, batch_size={bs}",
    "torch_batch": "torch, batch {bs}, length-bucketed",
    "ort_fp32": "ORT fp32, batch {bs}",
    "ort_int8": "ORT int8, batch {bs} (each sequence alone: batch-invariant, the default)",
    "ort_int8_mixed": "ORT int8, batch {bs} padded together (answers depend on the batch)",
    "ort_int8_b1": "ORT int8, per sentence",
}


def load_sentences(path: str | None, n: int, seed: int) -> list[str]:
    if path is None:
        from vner.engine.synth.generator import SynthConfig, generate

        return [rec["text"] for rec in generate(SynthConfig(n=n, seed=seed))]
    p = Path(path)
    if p.suffix == ".txt":
        lines = [ln.strip() for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
    else:
        from vner.engine.training.corpus import read_docs

        lines = [d.text for d in read_docs(p)]
    return lines[:n] if n else lines


def _percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))]


def run_method(method: str, args: argparse.Namespace, sentences: list[str]) -> dict[str, Any]:
    """Load the method's model, warm it up, time every call; runs inside the worker process."""
    import torch

    torch.set_num_threads(args.threads)
    bs = args.batch_size
    t0 = time.perf_counter()
    if method.startswith("pipeline"):
        from transformers import pipeline

        pipe = pipeline("token-classification", model=args.model, aggregation_strategy="simple", device=-1)
        if method == "pipeline":
            calls = [[s] for s in sentences]
            fn = lambda batch: [pipe(batch[0])]  # noqa: E731
        else:
            calls = [sentences[i : i + bs] for i in range(0, len(sentences), bs)]
            fn = lambda batch: pipe(batch, batch_size=bs)  # noqa: E731
    else:
        if method == "torch_batch":
            from vner.engine.runtime.torch_tagger import TorchTagger

            tagger: Any = TorchTagger.from_dir(args.model, threads=args.threads, max_batch=bs)
        else:
            from vner.engine.runtime.tagger import OnnxTagger

            prec = "fp32" if method == "ort_fp32" else "int8"
            tagger = OnnxTagger.from_dir(
                args.export,
                precision=prec,
                threads=args.threads,
                max_batch=bs,
                batch_invariant=False if method == "ort_int8_mixed" else None,
            )
        one = method == "ort_int8_b1"
        calls = (
            [[s] for s in sentences] if one else [sentences[i : i + bs] for i in range(0, len(sentences), bs)]
        )
        fn = tagger.predict
    load_s = time.perf_counter() - t0
    for batch in calls[: args.warmup]:
        fn(batch)
    times, n_ents = [], 0
    start = time.perf_counter()
    for batch in calls:
        t = time.perf_counter()
        n_ents += sum(len(x) for x in fn(batch))
        times.append((time.perf_counter() - t) * 1000)
    wall = time.perf_counter() - start
    return {
        "method": method,
        "label": LABELS[method].format(bs=bs),
        "sentences": len(sentences),
        "calls": len(calls),
        "entities": n_ents,
        "seconds": round(wall, 3),
        "sentences_per_s": round(len(sentences) / wall, 2),
        "ms_p50": round(_percentile(times, 50), 2),
        "ms_p99": round(_percentile(times, 99), 2),
        "load_s": round(load_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def markdown(results: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    base = next((r["sentences_per_s"] for r in results if r["method"] == "pipeline"), None)
    lines = [
        f"# bench_model: {meta['sentences']} sentences, {meta['threads']} threads, {meta['machine']}",
        "",
        "| method | sentences/s | ms/call p50 | ms/call p99 | peak RSS MB | load s | × pipeline |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        speed = f"{r['sentences_per_s'] / base:.1f}×" if base else "-"
        lines.append(
            f"| {r['label']} | {r['sentences_per_s']:.1f} | {r['ms_p50']:.1f} | {r['ms_p99']:.1f} | "
            f"{r['peak_rss_mb']:.0f} | {r['load_s']:.1f} | {speed} |"
        )
    lines += ["", f"command: `{meta['command']}`", ""]
    if meta.get("note"):
        lines += [f"note: {meta['note']}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="vner model directory (torch checkpoint)")
    ap.add_argument("--export", help="`vner export` directory (default MODEL/onnx)")
    ap.add_argument("--sentences", help=".txt or corpus file; default: seeded synthetic messages")
    ap.add_argument("--n", type=int, default=300, help="sentences to use (0 = all of --sentences)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (default: all usable)")
    ap.add_argument("--warmup", type=int, default=3, help="calls run before timing")
    ap.add_argument("--methods", default=",".join(METHODS), help=f"comma list of {METHODS}")
    ap.add_argument("--out", default="benchmarks/results", help="directory for the JSON and Markdown")
    ap.add_argument("--name", default="bench_model", help="file name stem of the results")
    ap.add_argument("--note", default="", help="free text stored with the results (machine load, weights)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not args.threads:
        from vner.engine.runtime.providers import usable_cpus

        args.threads = usable_cpus()
    args.export = args.export or str(Path(args.model) / "onnx")
    sentences = load_sentences(args.sentences, args.n, args.seed)
    if args.worker:
        print(json.dumps(run_method(args.worker, args, sentences)))
        return 0
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = set(methods) - set(METHODS)
    if unknown:
        ap.error(f"unknown methods {sorted(unknown)}; choose from {METHODS}")
    results = []
    for m in methods:
        cmd = [sys.executable, __file__, *(argv if argv is not None else sys.argv[1:]), "--worker", m]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"method {m} failed (exit {proc.returncode})")
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        r = results[-1]
        print(f"{r['label']:<40} {r['sentences_per_s']:8.1f} sent/s  p50 {r['ms_p50']:7.1f} ms  "
              f"p99 {r['ms_p99']:7.1f} ms  RSS {r['peak_rss_mb']:6.0f} MB", flush=True)  # fmt: skip
    meta = {
        "sentences": len(sentences),
        "source": "file" if args.sentences else f"vner.engine.synth.generator seed {args.seed}",
        "threads": args.threads,
        "batch_size": args.batch_size,
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "python": platform.python_version(),
        "note": args.note,
        "command": "python benchmarks/bench_model.py " + " ".join(sys.argv[1:] if argv is None else argv),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{args.name}.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    (out / f"{args.name}.md").write_text(markdown(results, meta))
    print(f"wrote {out / args.name}.json and .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
